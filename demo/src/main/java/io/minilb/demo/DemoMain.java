package io.minilb.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minilb.cli.Commands;
import io.minilb.controller.kube.Views;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.routes.RouteTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minilb demo}: an embedded API server seeded from a folder of YAML, then the controller and
 * one resolver as separate processes against it.
 */
@Command(
    name = "minilb demo",
    mixinStandardHelpOptions = true,
    description = "Run minilb end to end on an embedded Kubernetes API server.")
public final class DemoMain implements Callable<Integer> {

  @Option(
      names = "--cluster",
      description =
          "Folder of YAML/JSON objects to seed the API server with (default: deploy/demo).")
  Path cluster;

  @Option(
      names = "--dns-address",
      defaultValue = "127.0.0.1",
      description = "Address the resolver listens on (default: ${DEFAULT-VALUE}).")
  String dnsAddress;

  @Option(
      names = "--dns-port",
      defaultValue = "5353",
      description = "DNS port, UDP and TCP (default: ${DEFAULT-VALUE}).")
  int dnsPort;

  @Option(
      names = "--kubeconfig-out",
      description = "Where to write the kubeconfig for kubectl (default: .demo/kubeconfig).")
  Path kubeconfigOut;

  public static void main(String[] args) {
    System.exit(Commands.of(new DemoMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("minilb.home", "."));
    Path dir = cluster != null ? cluster : home.resolve("deploy/demo");
    Path kubeconfig = kubeconfigOut != null ? kubeconfigOut : home.resolve(".demo/kubeconfig");
    if (dnsPort < 1 || dnsPort > 65535) {
      System.err.println("minilb: --dns-port must be 1-65535, got " + dnsPort);
      return 2;
    }
    InetAddress dnsBind;
    try {
      dnsBind = InetAddress.getByName(dnsAddress);
    } catch (IOException e) {
      System.err.println("minilb: --dns-address: cannot resolve '" + dnsAddress + "'");
      return 2;
    }

    var api = new MockApiServer().start(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient client = api.client()) {
      List<HasMetadata> objects;
      try {
        objects = ClusterSeed.parse(client, dir);
      } catch (ClusterSeed.SeedException e) {
        System.err.println("minilb demo: cannot load the cluster: " + e.getMessage());
        api.close();
        return 1;
      }
      try {
        ClusterSeed.create(client, objects);
      } catch (RuntimeException e) {
        System.err.println("minilb demo: the API server rejected an object: " + e.getMessage());
        api.close();
        return 1;
      }
      api.writeKubeconfig(kubeconfig);
      int grpcPort = freePort();
      int controllerHttp = freePort();
      int resolverHttp = freePort();
      var children = new Children();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    children.stop();
                    api.close();
                  }));
      children.start(
          "controller",
          "io.minilb.controller.ControllerMain",
          List.of(
              "--kubeconfig",
              kubeconfig.toAbsolutePath().toString(),
              "--grpc-listen",
              "127.0.0.1:" + grpcPort,
              "--http-listen",
              "127.0.0.1:" + controllerHttp,
              "--lease-namespace",
              "minilb",
              "--identity",
              "demo-controller"));
      children.start(
          "resolver",
          "io.minilb.resolver.ResolverMain",
          List.of(
              "--controller",
              "127.0.0.1:" + grpcPort,
              "--listen",
              hostPort(dnsBind, dnsPort),
              "--http-listen",
              "127.0.0.1:" + resolverHttp,
              "--node-name",
              "demo-resolver",
              "--threads",
              "1"));
      if (!children.awaitReady(List.of(controllerHttp, resolverHttp), 90)) {
        System.err.println(
            "minilb demo: controller or resolver did not become ready; see the log above");
        children.stop();
        api.close();
        return 1;
      }
      printSummary(objects, kubeconfig, dnsBind, dnsPort, controllerHttp);
      int code = children.awaitAnyExit();
      System.err.println("minilb demo: a child process exited (" + code + "); stopping");
      return 1;
    }
  }

  private void printSummary(
      List<HasMetadata> objects, Path kubeconfig, InetAddress dns, int port, int controllerHttp) {
    var zone = ZoneConfig.defaults();
    var nodes =
        objects.stream().filter(Node.class::isInstance).map(o -> Views.of((Node) o)).toList();
    var routes = RouteTable.of(nodes);
    var out = new StringBuilder("\n");
    out.append("Add the following routes to your default gateway (router):\n");
    out.append(routes.render(RouteTable.Format.IP));
    routes.warnings().forEach(w -> out.append("WARNING: ").append(w).append('\n'));
    out.append("(other formats: curl 'http://127.0.0.1:")
        .append(controllerHttp)
        .append("/routes?format=routeros|openwrt', or add '&gateway=<router IP>' to dhcp121)\n\n");
    out.append("kubeconfig: ").append(kubeconfig.toAbsolutePath()).append("\n");
    out.append("  kubectl --kubeconfig ")
        .append(kubeconfig.toAbsolutePath())
        .append(" get svc -A\n\n");
    out.append("Try:\n");
    String server = "@" + dns.getHostAddress() + " -p " + port;
    for (HasMetadata o : objects) {
      if (o instanceof Service s && zone.qualifies(Views.of(s))) {
        out.append("  dig ")
            .append(server)
            .append(' ')
            .append(zone.hostname(s.getMetadata().getNamespace(), s.getMetadata().getName()))
            .append('\n');
      }
    }
    out.append("\nminilb demo is running; Ctrl-C stops it.\n");
    System.out.print(out);
    System.out.flush();
  }

  private static String hostPort(InetAddress a, int port) {
    String h = a.getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
