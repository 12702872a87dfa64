package io.minilb.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.minilb.cli.Commands;
import io.minilb.controller.kube.Views;
import io.minilb.controller.routes.RouteTable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minilb routes}: prints the router's static routes once and exits. */
@Command(
    name = "minilb routes",
    mixinStandardHelpOptions = true,
    description = "Print the static routes (podCIDR via node InternalIP) your router needs.")
public final class RoutesMain implements Callable<Integer> {

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file (default: in-cluster service account, then ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--format",
      defaultValue = "ip",
      description = "ip, routeros, openwrt or dhcp121 (default: ${DEFAULT-VALUE}).")
  String format;

  public static void main(String[] args) {
    System.exit(Commands.of(new RoutesMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    RouteTable.Format f;
    try {
      f = RouteTable.Format.parse(format);
    } catch (IllegalArgumentException e) {
      System.err.println("minilb: --format: " + e.getMessage());
      return 2;
    }
    try (KubernetesClient client = ControllerMain.client(kubeconfig)) {
      var nodes = client.nodes().list().getItems().stream().map(Views::of).toList();
      RouteTable table = RouteTable.of(nodes);
      System.out.print(table.render(f));
      table.warnings().forEach(w -> System.err.println("WARNING: " + w));
      return 0;
    } catch (RuntimeException e) {
      System.err.println("minilb: cannot list nodes: " + e.getMessage());
      return 1;
    }
  }
}
