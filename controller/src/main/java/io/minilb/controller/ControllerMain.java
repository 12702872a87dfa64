package io.minilb.controller;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minilb.cli.Commands;
import io.minilb.cli.HostPort;
import io.minilb.controller.records.Limits;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.stream.StreamLimits;
import io.minilb.log.LogOptions;
import io.minilb.net.Cidr;
import io.minilb.snapshot.Snapshot;
import io.minilb.tls.StreamTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code minilb controller}: watches the cluster, writes Service status, streams records. */
@Command(
    name = "minilb controller",
    mixinStandardHelpOptions = true,
    description = "Watch the cluster and stream DNS records to minilb resolvers.")
public final class ControllerMain implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ControllerMain.class);

  @Mixin LogOptions logs;

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file (default: in-cluster service account, then ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--domain",
      defaultValue = "minilb",
      description = "Zone apex (default: ${DEFAULT-VALUE}).")
  String domain;

  @Option(
      names = "--lb-class",
      defaultValue = "minilb",
      description = "spec.loadBalancerClass served (default: ${DEFAULT-VALUE}).")
  String lbClass;

  @Option(
      names = "--ttl",
      defaultValue = "5",
      description = "Record TTL in seconds (default: ${DEFAULT-VALUE}).")
  int ttl;

  @Option(names = "--ns-name", description = "Apex NS target and SOA MNAME (default: ns.<domain>).")
  String nsName;

  @Option(
      names = "--ns-address",
      split = ",",
      description = "IP addresses of --ns-name, published as glue (e.g. the resolvers' node IPs).")
  List<String> nsAddresses;

  @Option(
      names = "--claim-classless",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description = "Also serve LoadBalancer Services that set no loadBalancerClass.")
  boolean claimClassless;

  @Option(
      names = "--ingress-class",
      description = "Only resolve hosts of Ingresses of this class (default: every Ingress).")
  String ingressClass;

  @Option(
      names = "--max-hosts-per-object",
      defaultValue = "100",
      description =
          "Most extra names one Service (minilb/host), Ingress or route may claim; the rest are"
              + " ignored with a Warning Event (default: ${DEFAULT-VALUE}).")
  int maxHostsPerObject;

  @Option(
      names = "--max-endpoints-per-service",
      defaultValue = "1000",
      description =
          "Most addresses published for one Service; beyond it a stable subset is published with"
              + " a Warning Event (default: ${DEFAULT-VALUE}).")
  int maxEndpointsPerService;

  @Option(
      names = "--max-records",
      defaultValue = "100000",
      description =
          "Most records in the snapshot; objects are admitted oldest first and the ones that do"
              + " not fit are left out with a Warning Event (default: ${DEFAULT-VALUE}).")
  int maxRecords;

  @Option(
      names = "--max-records-per-object",
      defaultValue = "10000",
      description =
          "Most records one Service, Ingress or route may publish; beyond it a Service publishes a"
              + " stable subset of its endpoints and an object's hosts are served while they fit,"
              + " with a Warning Event (default: ${DEFAULT-VALUE}).")
  int maxRecordsPerObject;

  @Option(
      names = "--max-names",
      defaultValue = "" + Limits.DEFAULT_NAMES,
      description =
          "Most names in the snapshot as a resolver counts them (every owner and every empty"
              + " non-terminal above one), at most "
              + Snapshot.MAX_NAMES
              + "; objects are admitted oldest first and the ones that do not fit are left out"
              + " with a Warning Event (default: ${DEFAULT-VALUE}).")
  int maxNames;

  @Option(
      names = "--max-snapshot-bytes",
      defaultValue = "" + Limits.DEFAULT_SNAPSHOT_BYTES,
      description =
          "Most bytes of the snapshot as streamed to resolvers (its protobuf encoding), from "
              + Limits.MIN_SNAPSHOT_BYTES
              + " to "
              + Limits.MAX_SNAPSHOT_BYTES
              + "; objects are admitted oldest first and the ones that do not fit are left out"
              + " with a Warning Event (default: ${DEFAULT-VALUE}).")
  int maxSnapshotBytes;

  @Option(
      names = "--grpc-listen",
      defaultValue = "0.0.0.0:9090",
      converter = HostPort.class,
      description = "Record stream address:port (default: ${DEFAULT-VALUE}).")
  InetSocketAddress grpcListen;

  @Option(
      names = "--http-listen",
      defaultValue = "0.0.0.0:8080",
      converter = HostPort.class,
      description = "Address:port for /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
  InetSocketAddress httpListen;

  @Option(
      names = "--lease-namespace",
      description =
          "Namespace of the leader-election Lease (default: the pod's namespace, else minilb).")
  String leaseNamespace;

  @Option(
      names = "--lease-name",
      defaultValue = "minilb-controller",
      description = "Name of the leader-election Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--identity",
      defaultValue = "${env:HOSTNAME}",
      description = "Leader-election identity (default: $HOSTNAME, else a random id).")
  String identity;

  @Option(
      names = "--tls-cert",
      description = "PEM certificate chain for the record stream (enables TLS).")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key for --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      description =
          "PEM CA of resolver certificates; makes client certificates mandatory (mutual TLS).")
  Path tlsClientCa;

  @Option(
      names = "--max-subscribers",
      defaultValue = "" + StreamLimits.DEFAULT_MAX_SUBSCRIBERS,
      description =
          "Record streams open at once, over all clients; more are refused with RESOURCE_EXHAUSTED"
              + " (default: ${DEFAULT-VALUE}).")
  int maxSubscribers;

  @Option(
      names = "--max-streams-per-connection",
      defaultValue = "" + StreamLimits.DEFAULT_MAX_STREAMS_PER_CONNECTION,
      description =
          "Record streams open at once on one connection (a resolver uses one); more are refused"
              + " with RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int maxStreamsPerConnection;

  public static void main(String[] args) {
    System.exit(Commands.of(new ControllerMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    logs.apply();
    ControllerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("minilb: " + e.getMessage());
      return 2;
    }
    String noCluster =
        kubeconfigProblem(kubeconfig, System.getenv(), Path.of(System.getProperty("user.home")));
    if (noCluster != null) {
      System.err.println("minilb: " + noCluster);
      return 2;
    }
    try (KubernetesClient client = client(kubeconfig);
        Controller controller = new Controller(client, config)) {
      controller.start(); // before the hook: a failed start exits without "shutting down"
      var done = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    log.info("shutting down");
                    controller.close();
                    done.countDown();
                  }));
      done.await();
    }
    return 0;
  }

  /** The flags as a validated config. */
  ControllerConfig config() {
    if (maxSnapshotBytes < Limits.MIN_SNAPSHOT_BYTES) {
      throw new IllegalArgumentException(
          "--max-snapshot-bytes must be at least "
              + Limits.MIN_SNAPSHOT_BYTES
              + " (every snapshot holds its zones' SOA and NS records), got "
              + maxSnapshotBytes);
    }
    var glue = new ArrayList<InetAddress>();
    for (String a : nsAddresses == null ? List.<String>of() : nsAddresses) {
      InetAddress ip = Cidr.literal(a.trim());
      if (ip == null) {
        throw new IllegalArgumentException("--ns-address: '" + a + "' is not an IP address");
      }
      glue.add(ip);
    }
    var builder =
        ControllerConfig.builder()
            .zone(new ZoneConfig(domain, lbClass, ttl, nsName, claimClassless, ingressClass, glue))
            .limits(
                new Limits(
                    maxHostsPerObject,
                    maxEndpointsPerService,
                    maxRecords,
                    maxRecordsPerObject,
                    maxNames,
                    maxSnapshotBytes))
            .grpcListen(grpcListen)
            .httpListen(httpListen)
            .leaseNamespace(
                leaseNamespace != null && !leaseNamespace.isBlank()
                    ? leaseNamespace
                    : podNamespace())
            .leaseName(leaseName)
            .streamLimits(StreamLimits.of(maxSubscribers, maxStreamsPerConnection))
            .tls(
                new StreamTls(tlsCert, tlsKey, tlsClientCa, StreamTls.DEFAULT_RELOAD)
                    .requireReadable());
    if (identity != null && !identity.isBlank()) {
      builder.identity(identity);
    }
    return builder.build();
  }

  /**
   * Why no cluster can be reached, checked before the client starts (fabric8 would otherwise retry
   * an unresolvable default address with a page of stack traces); null when a configuration exists:
   * a readable {@code --kubeconfig}, {@code $KUBECONFIG}, {@code ~/.kube/config} or in-cluster.
   */
  static String kubeconfigProblem(Path kubeconfig, Map<String, String> env, Path home) {
    if (kubeconfig != null) {
      if (Files.isReadable(kubeconfig)) {
        return null;
      }
      return "cannot read --kubeconfig "
          + kubeconfig
          + (Files.exists(kubeconfig) ? " (permission denied)" : " (no such file)");
    }
    boolean found =
        !env.getOrDefault("KUBECONFIG", "").isBlank()
            || Files.isRegularFile(home.resolve(".kube").resolve("config"))
            || !env.getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank();
    return found
        ? null
        : "no kubeconfig found (--kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a"
            + " cluster";
  }

  /**
   * A client from {@code kubeconfig}, or fabric8's auto-configuration (in-cluster, then ~/.kube).
   */
  static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
    var builder = new KubernetesClientBuilder();
    if (kubeconfig != null) {
      builder.withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)));
    }
    return builder.build();
  }

  private static String podNamespace() {
    Path sa = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    try {
      return Files.isReadable(sa) ? Files.readString(sa).trim() : "minilb";
    } catch (java.io.IOException e) {
      return "minilb";
    }
  }
}
