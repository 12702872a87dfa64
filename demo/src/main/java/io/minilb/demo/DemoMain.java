package io.minilb.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minilb.cli.Commands;
import io.minilb.controller.kube.Views;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.routes.RouteTable;
import io.minilb.log.LogOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin LogOptions logs;

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
      description = "DNS port, UDP and TCP; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int dnsPort;

  @Option(
      names = "--kubeconfig-out",
      description = "Where to write the kubeconfig for kubectl (default: .demo/kubeconfig).")
  Path kubeconfigOut;

  /**
   * The children's level: the demo's, but never quieter than info, because the demo follows the
   * children's progress through their info lines.
   */
  private String childLevel() {
    return logs.level() == LogOptions.Level.debug ? "debug" : "info";
  }

  public static void main(String[] args) {
    System.exit(Commands.of(new DemoMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    logs.apply();
    Path home = Path.of(System.getProperty("minilb.home", "."));
    Path dir = cluster != null ? cluster : home.resolve("deploy/demo");
    Path kubeconfig = kubeconfigOut != null ? kubeconfigOut : home.resolve(".demo/kubeconfig");
    if (dnsPort < 0 || dnsPort > 65535) {
      System.err.println("minilb: --dns-port must be 0-65535 (0: any free port), got " + dnsPort);
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
    progress("API server up on " + api.url());
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
      return run(api, objects, kubeconfig, dnsBind);
    }
  }

  private int run(
      MockApiServer api, List<HasMetadata> objects, Path kubeconfig, InetAddress dnsBind)
      throws Exception {
    var controllerUp = new CompletableFuture<ChildLines.Ports>();
    var leading = new CompletableFuture<Void>();
    var resolverUp = new CompletableFuture<ChildLines.Ports>();
    var synced = new CompletableFuture<Void>();
    var leadingPid = new AtomicLong();
    var children = new Children();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  children.stop();
                  api.close();
                }));
    List<String> controllerArgs =
        List.of(
            "--log-level",
            childLevel(),
            "--log-format",
            logs.format().name(),
            "--kubeconfig",
            kubeconfig.toAbsolutePath().toString(),
            "--lease-namespace",
            "minilb",
            "--identity",
            "demo-controller");
    children.start(
        "controller",
        "io.minilb.controller.ControllerMain",
        concat(controllerArgs, "--grpc-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"),
        true,
        line -> {
          ChildLines.controllerUp(line).ifPresent(controllerUp::complete);
          if (ChildLines.leading(line)) {
            long pid = children.pid("controller");
            if (leadingPid.getAndSet(pid) != pid && !leading.complete(null)) {
              progress("controller back and leading, pid " + pid);
            }
          }
        });
    ChildLines.Ports controller = await(controllerUp, children, "the controller to start");
    // A restart keeps the stream's port, so the resolver reconnects to the same address.
    children.restartWith(
        "controller",
        concat(
            controllerArgs,
            "--grpc-listen",
            "127.0.0.1:" + controller.service(),
            "--http-listen",
            "127.0.0.1:" + controller.ops()));
    children.start(
        "resolver",
        "io.minilb.resolver.ResolverMain",
        List.of(
            "--log-level",
            childLevel(),
            "--log-format",
            logs.format().name(),
            "--controller",
            "127.0.0.1:" + controller.service(),
            "--listen",
            hostPort(dnsBind, dnsPort),
            "--http-listen",
            "127.0.0.1:0",
            "--node-name",
            "demo-resolver",
            "--threads",
            "1"),
        false,
        line -> {
          ChildLines.resolverUp(line).ifPresent(resolverUp::complete);
          if (ChildLines.synced(line)) {
            synced.complete(null);
          }
        });
    await(leading, children, "the controller to lead");
    progress("controller leading, pid " + children.pid("controller"));
    int dns = await(resolverUp, children, "the resolver to start").service();
    await(synced, children, "the resolver to sync");
    progress(
        "resolver synced, DNS on " + hostPort(dnsBind, dns) + ", pid " + children.pid("resolver"));
    printSummary(objects, kubeconfig, dnsBind, dns, controller.ops());
    String why = children.fatalExit().join();
    System.err.println("minilb demo: " + why + "; stopping");
    return 1;
  }

  /** Prints one progress line with the seconds since the demo's JVM started. */
  static void progress(String phase) {
    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.printf(Locale.ROOT, "minilb demo: %s (%.1f s)%n", phase, ms / 1000.0);
    System.out.flush();
  }

  /** Waits for a start-up phase; on failure stops everything and exits the demo with 1. */
  private static <T> T await(CompletableFuture<T> phase, Children children, String what)
      throws Exception {
    String failure = null;
    try {
      CompletableFuture.anyOf(phase, children.fatalExit()).get(90, TimeUnit.SECONDS);
      if (!phase.isDone()) {
        failure = children.fatalExit().join() + " while waiting for " + what;
      }
    } catch (TimeoutException e) {
      failure = "timed out waiting for " + what;
    }
    if (failure != null) {
      System.err.println("minilb demo: " + failure + "; see the log above");
      System.exit(1); // the shutdown hook stops the children and the API server
    }
    return phase.join();
  }

  private static List<String> concat(List<String> head, String... tail) {
    var out = new ArrayList<>(head);
    out.addAll(List.of(tail));
    return out;
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
}
