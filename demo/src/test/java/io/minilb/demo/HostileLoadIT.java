package io.minilb.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The two hostile Services of the issue, applied while the shipped resolver process (the launcher's
 * JVM flags and heap cap) serves a steady 200 queries a second for a well-behaved Service: one with
 * {@code minilb/host} listing 25,000 names (about 214 KB of annotation), one with 5,000 ready
 * endpoints; each created, then changed three times. Every query is answered, p99 stays under 50
 * ms, the heap stays under its cap, and the Warning Events name the limits — once each.
 */
class HostileLoadIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int QPS = 200;
  private static final int ROUNDS = 4;
  private static final Pattern HEAP_USED =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"} (\\S+)$");
  private static final Pattern OLD_GEN_AFTER_GC =
      Pattern.compile("(?m)^jvm_memory_pool_collection_used_bytes\\{pool=\"Tenured Gen\"} (\\S+)$");

  private final Pipeline p = new Pipeline();
  private final HttpClient http = HttpClient.newHttpClient();
  private ShippedResolver shipped;

  @AfterEach
  void stop() {
    if (shipped != null) {
      shipped.close();
    }
    p.close();
  }

  @Test
  void hostileServicesApplied_underLoad_otherNamesAnswerFast_andTheHeapStaysUnderItsCap(
      @TempDir Path dir) throws Exception {
    p.client.resource(EndToEndIT.node("node-a", "10.244.0.0/24")).create();
    p.client.resource(EndToEndIT.service("good", "web", "minilb")).create();
    p.client
        .resource(EndToEndIT.slice("good", "web-1", "web", "10.244.0.10", "10.244.0.11"))
        .create();
    p.startController();
    shipped =
        ShippedResolver.start(
            dir, "--controller", "127.0.0.1:" + p.grpcPort, "--node-name", "hostile-load-it");
    await().atMost(WAIT).until(() -> answers("web.good.minilb.").size() == 2);
    long cap = heapCap(ShippedResolver.command());

    try (var heap = new HeapWatch(shipped.ops);
        var load = new ClientProcess(shipped.dns, "web.good.minilb.")) {
      // The client's first second is left out: it runs the query path in the interpreter of a
      // resolver that has answered a handful of queries so far, a property of the process start,
      // not of the hostile input, which is applied only after it.
      load.awaitWarm();

      for (int round = 0; round < ROUNDS; round++) {
        apply(round);
        String first = "h" + round * 100 + ".io.";
        int net = 245 + round;
        await()
            .atMost(WAIT)
            .until(
                () ->
                    answers(first).equals(List.of("10.244.0.67"))
                        && answers("big.evil.minilb.").stream()
                            .allMatch(a -> a.startsWith("10." + net + ".")));
      }
      var measured = load.finish();
      heap.close();

      long lost = load.lost;
      double p99 = percentile(measured, 0.99) / 1e6;
      System.out.printf(
          "HostileLoadIT: %d queries over %d rounds, lost %d, p50 %.2f ms, p99 %.2f ms, max %.2f"
              + " ms; heap used peak %.1f MiB, old gen after GC peak %.1f MiB, cap %.1f MiB (%d"
              + " scrapes)%n",
          measured.size(),
          ROUNDS,
          lost,
          percentile(measured, 0.5) / 1e6,
          p99,
          percentile(measured, 1.0) / 1e6,
          heap.peakUsed.get() / 1048576.0,
          heap.peakOldAfterGc.get() / 1048576.0,
          cap / 1048576.0,
          heap.scrapes.get());

      assertThat(lost).as("queries lost or answered wrongly").isZero();
      assertThat(measured).hasSizeGreaterThanOrEqualTo(1_000);
      assertThat(p99).as("p99 in ms").isLessThan(50);
      assertThat(shipped.process.isAlive()).isTrue();
      assertThat(heap.failures.get()).as("failed /metrics scrapes").isZero();
      assertThat(heap.scrapes.get()).isGreaterThan(10);
      assertThat(heap.peakUsed.get()).isPositive().isLessThan(cap);
      assertThat(heap.peakOldAfterGc.get())
          .as("live heap after a collection leaves room for a full sync's second index")
          .isLessThan(cap / 2);
    }

    assertThat(events("evil"))
        .contains("Warning TooManyHosts Service/hosts", "Warning TooManyEndpoints Service/big");
    assertThat(messages("evil", "TooManyEndpoints"))
        .as("5,000 to 5,300 ready addresses over the rounds: one Event")
        .singleElement()
        .asString()
        .contains("--max-endpoints-per-service");
    assertThat(messages("evil", "TooManyHosts")).singleElement();
  }

  /**
   * Round {@code r}: 25,000 names from {@code h<100r>.io} in the annotation, and {@code 5,000 +
   * 100r} ready endpoints in 10.(245+r).0.0/16, in slices of 100.
   */
  private void apply(int round) {
    String names =
        IntStream.range(round * 100, round * 100 + 25_000)
            .mapToObj(i -> "h" + i + ".io")
            .collect(Collectors.joining(","));
    assertThat(names.length()).isGreaterThan(200_000);
    Service hosts = annotated("hosts", Map.of("minilb/host", names));
    p.client.resource(hosts).createOr(x -> x.update());
    p.client
        .resource(EndToEndIT.slice("evil", "hosts-1", "hosts", "10.244.0.67"))
        .createOr(x -> x.update());
    p.client.resource(EndToEndIT.service("evil", "big", "minilb")).createOr(x -> x.update());
    for (int s = 0; s < 50 + round; s++) {
      int third = s;
      String[] ips =
          IntStream.range(0, 100)
              .mapToObj(i -> "10." + (245 + round) + "." + third + "." + (i + 1))
              .toArray(String[]::new);
      p.client.resource(EndToEndIT.slice("evil", "big-" + s, "big", ips)).createOr(x -> x.update());
    }
  }

  private static Service annotated(String name, Map<String, String> annotations) {
    return new ServiceBuilder(EndToEndIT.service("evil", name, "minilb"))
        .editMetadata()
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  private List<String> answers(String name) throws Exception {
    var resolver = new SimpleResolver(shipped.dns);
    resolver.setTimeout(Duration.ofSeconds(2));
    Message m =
        resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
    return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
  }

  private List<String> events(String namespace) {
    return p.client.v1().events().inNamespace(namespace).list().getItems().stream()
        .map(
            (Event e) ->
                e.getType()
                    + " "
                    + e.getReason()
                    + " "
                    + e.getInvolvedObject().getKind()
                    + "/"
                    + e.getInvolvedObject().getName())
        .toList();
  }

  private List<String> messages(String namespace, String reason) {
    return p.client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }

  /** The {@code -Xmx} of {@code command} in bytes. */
  static long heapCap(List<String> command) {
    for (String arg : command) {
      Matcher m = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)").matcher(arg);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
          case "k" -> n << 10;
          case "m" -> n << 20;
          case "g" -> n << 30;
          default -> n;
        };
      }
    }
    throw new AssertionError("no -Xmx in " + command);
  }

  /** The {@code q} quantile of {@code nanos} (nearest rank). */
  private static double percentile(List<Long> nanos, double q) {
    var sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** {@link LoadClient} as a process of its own: the test's JVM pauses are not the resolver's. */
  private static final class ClientProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    long lost = -1;

    ClientProcess(InetSocketAddress resolver, String name) throws IOException {
      process =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-XX:+UseSerialGC",
                  "-Xmx64m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  LoadClient.class.getName(),
                  resolver.getHostString(),
                  String.valueOf(resolver.getPort()),
                  name,
                  String.valueOf(QPS),
                  String.valueOf(5 * QPS))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    }

    void awaitWarm() throws IOException {
      assertThat(out.readLine()).isEqualTo("warm");
    }

    /** Stops the load and returns the round-trip times (ns) of the answers after warm-up. */
    List<Long> finish() throws IOException {
      process.getOutputStream().close();
      var rtts = new ArrayList<Long>();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("lost ")) {
          lost = Long.parseLong(line.substring(5));
        } else if (line.startsWith("rtt ")) {
          rtts.add(Long.parseLong(line.substring(4)));
        }
      }
      return rtts;
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** Scrapes a resolver's /metrics every 200 ms, keeping the peaks of its heap. */
  private final class HeapWatch implements AutoCloseable {
    final AtomicLong peakUsed = new AtomicLong();
    final AtomicLong peakOldAfterGc = new AtomicLong();
    final AtomicInteger scrapes = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "heap-watch");
              t.setDaemon(true);
              return t;
            });

    HeapWatch(InetSocketAddress ops) {
      var request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.getPort() + "/metrics"))
              .timeout(Duration.ofSeconds(5))
              .build();
      timer.scheduleWithFixedDelay(
          () -> {
            try {
              String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
              peak(peakUsed, HEAP_USED, body);
              peak(peakOldAfterGc, OLD_GEN_AFTER_GC, body);
              scrapes.incrementAndGet();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          },
          0,
          200,
          TimeUnit.MILLISECONDS);
    }

    private void peak(AtomicLong peak, Pattern series, String body) {
      Matcher m = series.matcher(body);
      if (!m.find()) {
        throw new IllegalStateException(series + " not in /metrics");
      }
      peak.accumulateAndGet((long) Double.parseDouble(m.group(1)), Math::max);
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdown();
      timer.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
