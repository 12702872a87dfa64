package io.minilb.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.minilb.controller.Controller;
import io.minilb.controller.ControllerConfig;
import io.minilb.controller.Leadership;
import io.minilb.controller.stream.StreamLimits;
import io.minilb.resolver.Resolver;
import io.minilb.resolver.ResolverConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * The real parts wired for a test: the CRUD mock API server, a controller speaking real gRPC on
 * loopback, and a resolver with a real DNS socket on 127.0.0.1 (port picked by the kernel).
 */
final class Pipeline implements AutoCloseable {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  final MockApiServer api = new MockApiServer().start(LOOPBACK, 0);
  final KubernetesClient client = api.client();
  final List<String> statusWrites = new CopyOnWriteArrayList<>();
  Controller controller;
  int grpcPort;
  StreamLimits streamLimits = StreamLimits.defaults();
  Resolver resolver;

  /** Starts (or restarts) the controller, keeping the gRPC port of the previous one. */
  Controller startController() throws Exception {
    return startController(b -> b);
  }

  /** {@link #startController()} with settings changed by {@code settings}. */
  Controller startController(UnaryOperator<ControllerConfig.Builder> settings) throws Exception {
    var builder =
        ControllerConfig.builder()
            .ephemeralPorts(LOOPBACK)
            .grpcListen(new InetSocketAddress(LOOPBACK, grpcPort))
            .identity("test-controller-" + System.nanoTime())
            .timing(
                new Leadership.Timing(
                    Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)))
            .onLostLeadership(() -> {})
            .streamLimits(streamLimits)
            .statusListener((key, d) -> statusWrites.add(key + "=" + d.hostnames()));
    controller = new Controller(client, settings.apply(builder).build()).start();
    grpcPort = controller.grpcAddress().getPort();
    return controller;
  }

  void stopController() {
    controller.close();
    controller = null;
  }

  /** Starts a resolver as ResolverMain would, following the controller's stream. */
  void startResolver() throws Exception {
    startResolver(b -> b);
  }

  /** Starts a resolver with {@code settings} applied to the defaults. */
  void startResolver(java.util.function.UnaryOperator<ResolverConfig.Builder> settings)
      throws Exception {
    resolver =
        Resolver.start(
            settings
                .apply(
                    ResolverConfig.builder(List.of("127.0.0.1:" + grpcPort))
                        .nodeName("test-resolver"))
                .build());
  }

  /** Whether the resolver holds a snapshot. */
  boolean resolverSynced() {
    return resolver.version().isPresent();
  }

  int dnsPort() {
    return resolver.dnsAddress().getPort();
  }

  /** One UDP query to the resolver with dnsjava's stub resolver. */
  Message query(String name, int type) throws Exception {
    var resolver = new SimpleResolver(LOOPBACK);
    resolver.setPort(dnsPort());
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  @Override
  public void close() {
    if (resolver != null) {
      resolver.close();
    }
    if (controller != null) {
      controller.close();
    }
    client.close();
    api.close();
  }
}
