package io.minilb.demo;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.minilb.controller.stream.DirectMemory;
import io.minilb.controller.stream.StreamLimits;
import io.minilb.proto.v1.Ack;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.Subscribe;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A hundred resolvers reconnecting at once (as after a failover) to a controller holding a
 * 10k-Service snapshot: the peak direct memory while they sync, with the send budget the image gets
 * (half of its 32 MiB) and with no budget. Run by {@code bench/stream-reconnect.sh}.
 */
class StreamReconnectBench {

  static final int SERVICES = Integer.getInteger("minilb.bench.services", 10_000);
  static final int SUBSCRIBERS = Integer.getInteger("minilb.bench.subscribers", 100);

  @Test
  void aHundredResolversReconnectingAtOnce_directMemoryPeak() throws Exception {
    try (var p = new Pipeline()) {
      var pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < SERVICES; i++) {
        int n = i;
        pool.execute(
            () -> {
              String ns = "ns" + (n % 50);
              p.client.resource(EndToEndIT.service(ns, "svc" + n, "minilb")).create();
              p.client
                  .resource(
                      EndToEndIT.slice(
                          ns,
                          "svc" + n + "-x",
                          "svc" + n,
                          "10." + (n / 256 % 256) + "." + (n % 256) + ".1",
                          "10." + (n / 256 % 256) + "." + (n % 256) + ".2",
                          "10." + (n / 256 % 256) + "." + (n % 256) + ".3"))
                  .create();
            });
      }
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.MINUTES);
      for (long budget : new long[] {16L << 20, Long.MAX_VALUE}) {
        p.streamLimits = new StreamLimits(1024, 2, budget, Duration.ofSeconds(30));
        p.startController();
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> p.controller.snapshotSequence() > 0);
        round(p, budget);
        p.stopController();
      }
    }
  }

  private static void round(Pipeline p, long budget) throws Exception {
    System.gc();
    long base = DirectMemory.used();
    var peak = new AtomicLong(base);
    var sampling = new CountDownLatch(1);
    var sampler =
        new Thread(
            () -> {
              while (sampling.getCount() > 0) {
                peak.accumulateAndGet(DirectMemory.used(), Math::max);
                Thread.onSpinWait();
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    var channels = new ArrayList<ManagedChannel>();
    var synced = new CountDownLatch(SUBSCRIBERS);
    var bytes = new AtomicLong();
    long t0 = System.nanoTime();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      ManagedChannel c =
          ManagedChannelBuilder.forTarget("127.0.0.1:" + p.grpcPort)
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
      channels.add(c);
      var requests =
          new java.util.concurrent.atomic.AtomicReference<StreamObserver<WatchRequest>>();
      requests.set(
          RecordStreamGrpc.newStub(c)
              .watch(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse r) {
                      bytes.addAndGet(r.getSerializedSize());
                      requests
                          .get()
                          .onNext(
                              WatchRequest.newBuilder()
                                  .setAck(Ack.newBuilder().setVersion(r.getSnapshot().getVersion()))
                                  .build());
                      synced.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  }));
      requests
          .get()
          .onNext(
              WatchRequest.newBuilder()
                  .setSubscribe(Subscribe.newBuilder().setNode("bench-" + i))
                  .build());
    }
    boolean all = synced.await(5, TimeUnit.MINUTES);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    sampling.countDown();
    sampler.join();
    channels.forEach(ManagedChannel::shutdownNow);
    System.out.printf(
        "bench: %d services, %d subscribers at once, send budget %s: %s in %d ms, %.1f MiB"
            + " received; controller direct memory %.1f MiB before, peak %.1f MiB;"
            + " full snapshots encoded: %d%n",
        SERVICES,
        SUBSCRIBERS,
        budget == Long.MAX_VALUE ? "none" : (budget >> 20) + " MiB",
        all ? "all synced" : (SUBSCRIBERS - synced.getCount()) + " synced",
        millis,
        bytes.get() / 1048576.0,
        base / 1048576.0,
        peak.get() / 1048576.0,
        p.controller == null ? -1 : fullEncodings(p));
  }

  private static long fullEncodings(Pipeline p) throws Exception {
    var metrics =
        new String(
            java.net
                .URI
                .create("http://" + hostPort(p) + "/metrics")
                .toURL()
                .openStream()
                .readAllBytes());
    return metrics
        .lines()
        .filter(l -> l.startsWith("minilb_controller_snapshot_encodings_total "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  private static String hostPort(Pipeline p) {
    var a = p.controller.httpAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }
}
