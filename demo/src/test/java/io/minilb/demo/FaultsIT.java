package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.controller.Controller;
import io.minilb.controller.ControllerConfig;
import io.minilb.controller.Leadership;
import io.minilb.resolver.Resolver;
import io.minilb.resolver.ResolverConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Faults with real parts: controllers killed and failed over under a steady query load, an API
 * server that vanishes and comes back different, many resolvers. Bounded in time; the long runs are
 * bench/chaos.sh.
 */
class FaultsIT {

  static final int QPS = Integer.getInteger("minilb.chaos.qps", 1_000); // per resolver
  static final Duration LEASE = Duration.ofSeconds(3);

  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private MockApiServer api = new MockApiServer().start(Pipeline.LOOPBACK, 0);

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : com.google.common.collect.Lists.reverse(closeables)) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    scheduler.shutdownNow();
    api.close();
  }

  @Test
  void controllerKilledUnderLoad_noFailedOrNxdomainAnswers_andResyncAfterRestart()
      throws Exception {
    seed("web", "10.244.0.1");
    Controller c = controller("c1", 0);
    int grpcPort = c.grpcAddress().getPort();
    var r1 = resolver(List.of("127.0.0.1:" + grpcPort));
    var r2 = resolver(List.of("127.0.0.1:" + grpcPort));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> r1.version().isPresent() && r2.version().isPresent());
    long epoch = r1.version().orElseThrow().epoch();
    var load1 = load(r1, "web.default.minilb.");
    var load2 = load(r2, "web.default.minilb.");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> load1.answered.get() > 200 && load2.answered.get() > 200);

    c.close();
    closeables.remove(c);
    var client = api.client();
    client
        .resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.1", "10.244.0.2"))
        .update();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> load1.failures() == 0);
    controller("c2", grpcPort);

    await("resync with a new epoch and the change made during the outage")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                r1.addresses("web.default.minilb.").size() == 2
                    && r2.addresses("web.default.minilb.").size() == 2);
    assertThat(r1.version().orElseThrow().epoch()).isNotEqualTo(epoch);
    load1.close();
    load2.close();
    assertThat(load1.failures()).as(load1.toString()).isZero();
    assertThat(load2.failures()).as(load2.toString()).isZero();
    assertThat(load1.total() + load2.total()).isGreaterThan(QPS * 4L);
    client.close();
  }

  @Test
  void
      twoReadyControllers_resolversFindTheLeader_andFollowTheNextWithinTheLease_with0FailedQueries()
          throws Exception {
    seed("web", "10.244.0.1");
    Controller a = controller("a", 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.ready() && a.leading());
    Controller b = controller("b", 0);
    var targets =
        List.of("127.0.0.1:" + a.grpcAddress().getPort(), "127.0.0.1:" + b.grpcAddress().getPort());
    var r1 = resolver(targets);
    var r2 = resolver(List.of(targets.get(1), targets.get(0)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> r1.version().isPresent() && r2.version().isPresent());
    await("both replicas ready: readiness is not leadership")
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.ready() && b.ready());
    assertThat(b.leading()).as("b follows").isFalse();
    long oldEpoch = r2.version().orElseThrow().epoch();
    assertThat(r1.version().orElseThrow().epoch()).isEqualTo(oldEpoch);
    var load1 = load(r1, "web.default.minilb.");
    var load2 = load(r2, "web.default.minilb.");

    long killedAt = System.nanoTime();
    a.close();
    closeables.remove(a);
    await().atMost(LEASE.multipliedBy(3)).until(b::leading);
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    await("both resolvers follow the new leader within the lease duration")
        .atMost(LEASE)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                r1.version().orElseThrow().epoch() != oldEpoch
                    && r2.version().orElseThrow().epoch() != oldEpoch);
    Duration followed = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf(
        "failover: new leader after %d ms, both resolvers on its stream after %d ms (lease %d ms)%n",
        takeover.toMillis(), followed.toMillis(), LEASE.toMillis());
    var client = api.client();
    client.resource(EndToEndIT.service("default", "after", "minilb")).create();
    client.resource(EndToEndIT.slice("default", "after-1", "after", "10.244.9.9")).create();
    await("both resolvers reach the new leader")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                r1.addresses("after.default.minilb.").size() == 1
                    && r2.addresses("after.default.minilb.").size() == 1);
    load1.close();
    load2.close();

    assertThat(takeover).isLessThan(LEASE.multipliedBy(3));
    assertThat(followed).as("resolvers on the new leader's stream").isLessThan(LEASE);
    assertThat(load1.nxdomain.get() + load2.nxdomain.get()).as(load1 + " / " + load2).isZero();
    assertThat(load1.failures() + load2.failures()).isZero();
    await("the new leader writes status")
        .atMost(Duration.ofSeconds(10))
        .until(() -> writes.stream().anyMatch(w -> w.startsWith("b ")));
    // Writes of one identity form one contiguous run: a never writes after b has started.
    String sequence = writes.stream().map(w -> w.substring(0, 1)).collect(Collectors.joining());
    assertThat(sequence).matches("a*b*");
    assertThat(sequence).contains("b");
    client.close();
  }

  @Test
  void watchesExpireWith410Gone_informersRelist_gapChangesAppear_nothingStaleRemains()
      throws Exception {
    seed("stays", "10.244.0.1");
    seed("goes", "10.244.0.2");
    Controller c = controller("c", 0);
    var r = resolver(List.of("127.0.0.1:" + c.grpcAddress().getPort()));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> r.addresses("goes.default.minilb.").size() == 1);

    // The API server is unavailable to informers for a while (watches expired with 410, lists
    // and new watches refused); meanwhile "goes" is deleted and "new" created.
    var refused = new java.util.concurrent.atomic.AtomicInteger();
    api.addFault(
        new MockApiServer.Fault(
            req ->
                req.getMethod().equals("GET")
                    && (req.getPath().startsWith("/api/v1/services")
                        || req.getPath().startsWith("/api/v1/endpoints")
                        || req.getPath().startsWith("/apis/discovery.k8s.io/v1/endpointslices"))
                    && refused.incrementAndGet() > 0,
            503,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503}"));
    api.expireWatches();
    try (var client = api.client()) {
      client.services().inNamespace("default").withName("goes").delete();
      client.discovery().v1().endpointSlices().inNamespace("default").withName("goes-1").delete();
    }
    seed("new", "10.244.0.3");
    await("informers tried again and were refused")
        .atMost(Duration.ofSeconds(20))
        .until(() -> refused.get() >= 2);
    assertThat(r.addresses("goes.default.minilb."))
        .as("no watch: the last good data stays")
        .hasSize(1);
    int mark = api.requests().size();
    api.clearFaults();

    await("after the relist: gap changes appear and nothing stale remains")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                r.addresses("new.default.minilb.").size() == 1
                    && r.addresses("goes.default.minilb.").isEmpty()
                    && r.addresses("stays.default.minilb.").size() == 1);
    assertThat(api.requests().subList(mark, api.requests().size()))
        .as("the informers relisted")
        .anyMatch(q -> q.startsWith("GET /api/v1/services") && !q.contains("watch=true"))
        .anyMatch(
            q ->
                q.startsWith("GET /apis/discovery.k8s.io/v1/endpointslices")
                    && !q.contains("watch=true"));
  }

  @Test
  void aHundredResolvers_allConverge() throws Exception {
    seed("web", "10.244.0.1");
    Controller c = controller("c", 0);
    String target = "127.0.0.1:" + c.grpcAddress().getPort();
    var resolvers = new ArrayList<Resolver>();
    for (int i = 0; i < 100; i++) {
      var r = Resolver.start(ResolverConfig.builder(List.of(target)).nodeName("r" + i).build());
      closeables.add(r);
      resolvers.add(r);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> resolvers.stream().allMatch(r -> r.version().isPresent()));
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    var client = api.client();
    client
        .resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.1", "10.244.0.7"))
        .update();
    long version = -1;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              long newest = c.snapshotSequence();
              return newest > 1
                  && resolvers.stream()
                      .allMatch(r -> r.version().orElseThrow().sequence() == newest);
            });
    assertThat(version).isEqualTo(-1);
    double cpuPct = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
    System.gc();
    long heap =
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "100 resolvers: one change converged; JVM (controller + 100 resolvers + mock API) "
            + "CPU %.0f%% of a core during the change, heap after GC %d MiB%n",
        cpuPct, heap >> 20);
    client.close();
  }

  @Test
  void aRestartedResolverProcess_withASnapshotFile_answersAtOnce_withNoControllerReachable(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    seed("web", "10.244.0.1");
    Controller c = controller("c", 0);
    var file = dir.resolve("snapshot.pb");
    var synced =
        Resolver.start(
            ResolverConfig.builder(List.of("127.0.0.1:" + c.grpcAddress().getPort()))
                .snapshotFile(file)
                .build());
    closeables.add(synced);
    await().atMost(Duration.ofSeconds(20)).until(() -> java.nio.file.Files.exists(file));
    c.close();
    closeables.remove(c);

    long started = System.nanoTime();
    var restarted =
        ShippedResolver.start(
            dir,
            "--controller",
            "127.0.0.1:1",
            "--snapshot-file",
            file.toString(),
            "--max-stale",
            "1h",
            "--threads",
            "1");
    closeables.add(restarted);
    int port = restarted.dnsPort();

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              var resolver = new SimpleResolver(new InetSocketAddress(Pipeline.LOOPBACK, port));
              resolver.setTimeout(Duration.ofMillis(200));
              try {
                var m =
                    resolver.send(
                        org.xbill.DNS.Message.newQuery(
                            Record.newRecord(
                                org.xbill.DNS.Name.fromString("web.default.minilb."),
                                Type.A,
                                org.xbill.DNS.DClass.IN)));
                return m.getSection(1).size() == 1;
              } catch (java.io.IOException notYet) {
                return false;
              }
            });
    System.out.printf(
        "restarted resolver answered %d ms after process start, controller unreachable%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private void seed(String name, String ip) {
    try (var client = api.client()) {
      client.resource(EndToEndIT.service("default", name, "minilb")).createOr(x -> x.update());
      client.resource(EndToEndIT.slice("default", name + "-1", name, ip)).createOr(x -> x.update());
    }
  }

  private Controller controller(String identity, int grpcPort) throws Exception {
    var config =
        ControllerConfig.builder()
            .ephemeralPorts(Pipeline.LOOPBACK)
            .grpcListen(new InetSocketAddress(Pipeline.LOOPBACK, grpcPort))
            .identity(identity)
            .timing(new Leadership.Timing(LEASE, Duration.ofSeconds(2), Duration.ofMillis(300)))
            .onLostLeadership(() -> {})
            .statusListener((svc, s) -> writes.add(identity + " " + svc))
            .build();
    var client = api.client();
    Controller c = new Controller(client, config).start();
    closeables.add(client);
    closeables.add(c);
    return c;
  }

  /** A resolver started as ResolverMain starts one, and a stub client to ask it. */
  private static final class TestResolver implements AutoCloseable {
    final Resolver resolver;

    TestResolver(List<String> targets) throws Exception {
      resolver = Resolver.start(ResolverConfig.builder(targets).nodeName("test").build());
    }

    java.util.Optional<io.minilb.snapshot.Version> version() {
      return resolver.version();
    }

    InetSocketAddress address() {
      return resolver.dnsAddress();
    }

    Set<String> addresses(String name) throws Exception {
      var stub = new SimpleResolver(resolver.dnsAddress());
      stub.setTimeout(Duration.ofSeconds(1));
      var m =
          stub.send(
              org.xbill.DNS.Message.newQuery(
                  Record.newRecord(
                      org.xbill.DNS.Name.fromString(name), Type.A, org.xbill.DNS.DClass.IN)));
      return m.getSection(1).stream().map(Record::rdataToString).collect(Collectors.toSet());
    }

    @Override
    public void close() {
      resolver.close();
    }
  }

  private TestResolver resolver(List<String> targets) throws Exception {
    var r = new TestResolver(targets);
    closeables.add(r);
    return r;
  }

  private LoadClient load(TestResolver r, String name) {
    var l = new LoadClient(r.address(), name, QPS);
    closeables.add(l);
    return l;
  }
}
