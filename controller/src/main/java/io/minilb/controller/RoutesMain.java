package io.minilb.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.minilb.cli.Commands;
import io.minilb.controller.kube.Views;
import io.minilb.controller.routes.RouteRequest;
import io.minilb.controller.routes.RouteTable;
import io.minilb.log.LogOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code minilb routes}: prints the router's static routes once and exits. */
@Command(
    name = "minilb routes",
    mixinStandardHelpOptions = true,
    description = "Print the static routes (podCIDR via node InternalIP) your router needs.")
public final class RoutesMain implements Callable<Integer> {

  @Mixin LogOptions logs;

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file (default: in-cluster service account, then ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--format",
      defaultValue = "ip",
      description = "ip, routeros, openwrt or dhcp121 (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--gateway",
      description =
          "The LAN's default router, required by dhcp121: option 121 must carry 0.0.0.0/0"
              + " because clients that receive it ignore the Router option (RFC 3442).")
  String gateway;

  public static void main(String[] args) {
    System.exit(Commands.of(new RoutesMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    logs.apply();
    String noCluster =
        ControllerMain.kubeconfigProblem(
            kubeconfig, System.getenv(), Path.of(System.getProperty("user.home")));
    if (noCluster != null) {
      System.err.println("minilb: " + noCluster);
      return 2;
    }
    RouteRequest request;
    try {
      request = RouteRequest.parse(format, gateway, "--gateway");
    } catch (IllegalArgumentException e) {
      System.err.println("minilb routes: " + e.getMessage());
      return 2;
    }
    try (KubernetesClient client = ControllerMain.client(kubeconfig)) {
      var nodes = client.nodes().list().getItems().stream().map(Views::of).toList();
      RouteTable table = RouteTable.of(nodes);
      System.out.print(table.render(request));
      table.warnings().forEach(w -> System.err.println("WARNING: " + w));
      return 0;
    } catch (RuntimeException e) {
      System.err.println("minilb: cannot list nodes: " + e.getMessage());
      return 1;
    }
  }
}
