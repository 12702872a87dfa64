import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.Subscribe;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reconnect storm against the controller's stream: S subscribers (each on its own connection, as
 * S resolvers would be) send Subscribe at the same moment, holding nothing, so each is owed a full
 * snapshot. While they are served, the controller's /metrics and VmRSS are sampled every 20 ms.
 *
 * <pre>
 * java -cp demo/target/minilb-demo.jar bench/Subscribers.java HOST:STREAM_PORT HOST:OPS_PORT PID S
 * </pre>
 *
 * Prints one "subscribers:" line; exits 1 if not every subscriber got its snapshot or an error
 * within 120 s.
 */
public final class Subscribers {

  /** The controller's own direct-memory series when it has one, else the JVM's direct pool. */
  private static final String[] DIRECT_SERIES = {
    "minilb_controller_direct_memory_bytes", "jvm_buffer_pool_used_bytes{pool=\"direct\"}"
  };

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: Subscribers HOST:STREAM_PORT HOST:OPS_PORT PID SUBSCRIBERS");
      System.exit(2);
    }
    String target = args[0];
    URI metrics = URI.create("http://" + args[1] + "/metrics");
    Path status = Path.of("/proc", args[2], "status");
    int count = Integer.parseInt(args[3]);
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Sample before = sample(http, metrics, status);

    var channels = new ArrayList<ManagedChannel>();
    for (int i = 0; i < count; i++) {
      ManagedChannel ch =
          NettyChannelBuilder.forTarget(target)
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
      ch.getState(true); // connect now, so the storm is of Subscribes, not of handshakes
      channels.add(ch);
    }
    var done = new CountDownLatch(count);
    var errors = new ConcurrentHashMap<String, Integer>();
    var snapshotBytes = new AtomicLong();
    var lastMillis = new AtomicLong();
    var go = new CountDownLatch(1);
    var threads = new ArrayList<Thread>();
    long[] t0 = new long[1];
    for (int i = 0; i < count; i++) {
      var ch = channels.get(i);
      String node = "bench-" + i;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                var first = new java.util.concurrent.atomic.AtomicBoolean();
                var requests =
                    RecordStreamGrpc.newStub(ch)
                        .watch(
                            new StreamObserver<WatchResponse>() {
                              @Override
                              public void onNext(WatchResponse r) {
                                if (first.compareAndSet(false, true)) {
                                  snapshotBytes.addAndGet(r.getSerializedSize());
                                  lastMillis.accumulateAndGet(
                                      (System.nanoTime() - t0[0]) / 1_000_000, Math::max);
                                  done.countDown();
                                }
                              }

                              @Override
                              public void onError(Throwable e) {
                                if (first.compareAndSet(false, true)) {
                                  errors.merge(
                                      Status.fromThrowable(e).getCode().name(), 1, Integer::sum);
                                  done.countDown();
                                }
                              }

                              @Override
                              public void onCompleted() {
                                onError(Status.UNAVAILABLE.withDescription("ended").asException());
                              }
                            });
                requests.onNext(
                    WatchRequest.newBuilder()
                        .setSubscribe(Subscribe.newBuilder().setNode(node))
                        .build());
              });
      t.start();
      threads.add(t);
    }
    for (var ch : channels) {
      waitReady(ch);
    }
    var peak = new Sample(before.direct, before.rss);
    t0[0] = System.nanoTime();
    go.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!done.await(20, TimeUnit.MILLISECONDS)) {
      peak = peak.max(sample(http, metrics, status));
      if (System.nanoTime() > deadline) {
        System.err.printf("subscribers: %d of %d got nothing in 120 s%n", done.getCount(), count);
        System.exit(1);
      }
    }
    peak = peak.max(sample(http, metrics, status));
    int served = count - errors.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Integer> sorted = new TreeMap<>(errors);
    System.out.printf(
        Locale.ROOT,
        "subscribers: %d at once: %d got a full snapshot (%.1f MiB each), the last after %d ms%s;"
            + " controller direct memory (%s) before %.1f MiB, peak %.1f MiB; RSS before %.1f MiB,"
            + " peak %.1f MiB%n",
        count,
        served,
        served == 0 ? 0.0 : snapshotBytes.get() / (double) served / (1 << 20),
        lastMillis.get(),
        sorted.isEmpty() ? "" : ", refused " + sorted,
        before.series,
        before.direct / (double) (1 << 20),
        peak.direct / (double) (1 << 20),
        before.rss / 1024.0,
        peak.rss / 1024.0);
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private static void waitReady(ManagedChannel ch) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ch.getState(true) != io.grpc.ConnectivityState.READY) {
      if (System.nanoTime() > deadline) {
        System.err.println("subscribers: could not connect to the controller's stream in 30 s");
        System.exit(1);
      }
      Thread.sleep(10);
    }
  }

  /** Direct memory in bytes (and the series it came from) and VmRSS in KiB. */
  private record Sample(long direct, long rss, String series) {
    Sample(long direct, long rss) {
      this(direct, rss, "");
    }

    Sample max(Sample o) {
      return new Sample(Math.max(direct, o.direct), Math.max(rss, o.rss), series);
    }
  }

  private static Sample sample(HttpClient http, URI metrics, Path status) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    long direct = -1;
    String series = "none";
    for (String name : DIRECT_SERIES) {
      for (String line : body.split("\n")) {
        if (line.startsWith(name + " ")) {
          direct = (long) Double.parseDouble(line.substring(name.length() + 1).trim());
          series = name;
          break;
        }
      }
      if (direct >= 0) {
        break;
      }
    }
    long rss = -1;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new Sample(direct, rss, series);
  }
}
