package io.minilb.demo;

import static org.awaitility.Awaitility.await;

import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.proto.Messages;
import io.minilb.resolver.Resolver;
import io.minilb.resolver.ResolverConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Propagation benchmarks, run by bench/propagation.sh (not part of the test suite: the name ends in
 * Bench). Figures are printed as "bench:" lines.
 */
class PropagationBench {

  static final int CHANGES = Integer.getInteger("minilb.bench.changes", 200);
  static final int SERVICES = Integer.getInteger("minilb.bench.services", 10_000);

  @Test
  void endpointSliceChange_toChangedAnswer_atThreeResolvers() throws Exception {
    try (var p = new Pipeline()) {
      p.startController();
      var stores = new ArrayList<Resolver>();
      for (int i = 0; i < 3; i++) {
        stores.add(
            Resolver.start(
                ResolverConfig.builder(List.of("127.0.0.1:" + p.grpcPort))
                    .nodeName("r" + i)
                    .build()));
      }
      p.client.resource(EndToEndIT.service("default", "web", "minilb")).create();
      p.client.resource(EndToEndIT.slice("default", "web-1", "web", "10.1.0.0")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> stores.stream().allMatch(s -> has(s, 0)));
      long[] millis = new long[CHANGES];
      for (int i = 1; i <= CHANGES; i++) {
        final int n = i;
        long t0 = System.nanoTime();
        p.client.resource(EndToEndIT.slice("default", "web-1", "web", ip(n))).update();
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(1))
            .pollDelay(Duration.ZERO)
            .until(() -> stores.stream().allMatch(s -> has(s, n)));
        millis[i - 1] = (System.nanoTime() - t0) / 1000;
      }
      Arrays.sort(millis);
      System.out.printf(
          "bench: propagation over %d changes to 3 resolvers: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          CHANGES,
          millis[CHANGES / 2] / 1000.0,
          millis[(int) (CHANGES * 0.99) - 1] / 1000.0,
          millis[CHANGES - 1] / 1000.0);
      stores.forEach(Resolver::close);
    }
  }

  @Test
  void atTenThousandServices_buildFullSyncAndDeltaSize() throws Exception {
    var zone = ZoneConfig.defaults();
    var builder = new RecordBuilder(zone);
    var services = new ArrayList<ServiceView>();
    var slices = new ArrayList<SliceView>();
    for (int i = 0; i < SERVICES; i++) {
      String ns = "ns" + (i % 50);
      services.add(
          new ServiceView(
              ns,
              "svc" + i,
              "LoadBalancer",
              "minilb",
              false,
              Instant.EPOCH,
              Map.of(),
              List.of(new ServiceView.PortView("http", "TCP", 80)),
              List.of(),
              List.of()));
      var eps = new ArrayList<SliceView.EndpointView>();
      for (int j = 1; j <= 3; j++) {
        eps.add(
            new SliceView.EndpointView(
                List.of("10." + (i / 256 % 256) + "." + (i % 256) + "." + j), true, false, null));
      }
      slices.add(
          new SliceView(
              ns,
              "svc" + i + "-x",
              "svc" + i,
              "IPv4",
              eps,
              List.of(new ServiceView.PortView("http", "TCP", 8080))));
    }
    var state = new ClusterState(services, slices, List.of(), List.of(), List.of(), List.of());
    for (int warm = 0; warm < 3; warm++) {
      builder.build(state);
    }
    long syncNanos;
    long t0 = System.nanoTime();
    var build = builder.build(state);
    var publisher = new SnapshotPublisher(1, builder::soa, () -> 1_000_000);
    publisher.publish(build.zones(), build.records());
    long buildNanos = System.nanoTime() - t0;

    // The full sync goes through the shipped assembly: the objects in the API server, a
    // Controller from its config, and a Resolver from its config.
    try (var p = new Pipeline()) {
      for (int i = 0; i < SERVICES; i++) {
        String ns = services.get(i).namespace();
        p.client.resource(EndToEndIT.service(ns, "svc" + i, "minilb")).create();
        var ips = slices.get(i).endpoints().stream().map(e -> e.addresses().get(0)).toList();
        p.client
            .resource(EndToEndIT.slice(ns, "svc" + i + "-x", "svc" + i, ips.toArray(String[]::new)))
            .create();
      }
      p.startController();
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> p.controller.snapshotSequence() > 0);
      long s0 = System.nanoTime();
      p.startResolver();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(1))
          .until(p::resolverSynced);
      syncNanos = System.nanoTime() - s0;
    }

    var changed = new ArrayList<>(slices);
    var old = changed.get(42);
    var eps = new ArrayList<>(old.endpoints());
    eps.add(new SliceView.EndpointView(List.of("10.200.0.1"), true, false, null));
    changed.set(
        42,
        new SliceView(
            old.namespace(), old.name(), old.service(), old.addressType(), eps, old.ports()));
    var before = publisher.current();
    var next =
        builder.build(
            new ClusterState(services, changed, List.of(), List.of(), List.of(), List.of()));
    publisher.publish(next.zones(), next.records());
    int deltaBytes = Messages.toProto(publisher.current().diff(before)).getSerializedSize();
    int fullBytes = Messages.toProto(publisher.current()).getSerializedSize();
    System.out.printf(
        "bench: %d services (%d rrsets): build %.0f ms, full sync (controller to resolver) %.0f ms (%d KiB), "
            + "one-endpoint delta %d bytes%n",
        SERVICES,
        before.rrsets().size(),
        buildNanos / 1e6,
        syncNanos / 1e6,
        fullBytes / 1024,
        deltaBytes);
  }

  /** Whether the resolver answers web.default.minilb with exactly the n-th address. */
  private static boolean has(Resolver r, int n) {
    var stub = new org.xbill.DNS.SimpleResolver(r.dnsAddress());
    stub.setTimeout(Duration.ofSeconds(1));
    java.util.List<org.xbill.DNS.Record> answer;
    try {
      answer =
          stub.send(
                  org.xbill.DNS.Message.newQuery(
                      org.xbill.DNS.Record.newRecord(
                          org.xbill.DNS.Name.fromConstantString("web.default.minilb."),
                          org.xbill.DNS.Type.A,
                          org.xbill.DNS.DClass.IN)))
              .getSection(org.xbill.DNS.Section.ANSWER);
    } catch (java.io.IOException e) {
      return false;
    }
    return answer.size() == 1 && answer.get(0).rdataToString().equals(ip(n));
  }

  private static String ip(int n) {
    return "10.1." + (n / 256) + "." + (n % 256);
  }
}
