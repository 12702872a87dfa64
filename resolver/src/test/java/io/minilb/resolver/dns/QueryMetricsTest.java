package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The striped query counters, read back through the text exposition /metrics serves. */
class QueryMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final QueryMetrics metrics = new QueryMetrics(registry);

  @Test
  void queriesFromManyThreadsAtOnce_areEachCountedExactlyOnce() throws Exception {
    int threads = 4;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var go = new CountDownLatch(1);
    var done = new ArrayList<Future<?>>();
    try {
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    switch (i % 4) {
                      case 0, 1 -> metrics.query(Type.A, Rcode.NOERROR, 20_000);
                      case 2 -> metrics.query(Type.AAAA, Rcode.NXDOMAIN, 300_000);
                      default -> metrics.query(Type.MX, Rcode.SERVFAIL, 2_000_000);
                    }
                    if (i % 10 == 0) {
                      metrics.dropped();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    String text = scrape();
    long all = (long) threads * perThread;
    assertThat(value(text, "minilb_resolver_queries_total{qtype=\"A\",rcode=\"NOERROR\"}"))
        .isEqualTo(all / 2);
    assertThat(value(text, "minilb_resolver_queries_total{qtype=\"AAAA\",rcode=\"NXDOMAIN\"}"))
        .isEqualTo(all / 4);
    assertThat(value(text, "minilb_resolver_queries_total{qtype=\"other\",rcode=\"SERVFAIL\"}"))
        .isEqualTo(all / 4);
    assertThat(value(text, "minilb_resolver_malformed_total{action=\"dropped\"}"))
        .isEqualTo(threads * (perThread / 10));
    assertThat(value(text, "minilb_resolver_query_duration_seconds_count")).isEqualTo(all);
    assertThat(value(text, "minilb_resolver_query_duration_seconds_bucket{le=\"2.5E-5\"}"))
        .isEqualTo(all / 2);
    assertThat(value(text, "minilb_resolver_query_duration_seconds_bucket{le=\"5.0E-4\"}"))
        .isEqualTo(all * 3 / 4);
    assertThat(value(text, "minilb_resolver_query_duration_seconds_bucket{le=\"0.0025\"}"))
        .isEqualTo(all);
    assertThat(value(text, "minilb_resolver_query_duration_seconds_sum"))
        .isCloseTo((all / 2 * 20_000 + all / 4 * 300_000 + all / 4 * 2_000_000) / 1e9, within());
  }

  @Test
  void aLatencyOnABucketBound_fallsInThatBucket_andRcodesBeyondTheTable_areOther() {
    metrics.query(Type.A, Rcode.NOERROR, 1_000_000); // exactly 1 ms
    metrics.query(Type.SRV, Rcode.BADVERS, 1_000_001);
    metrics.formerr();

    String text = scrape();
    assertThat(value(text, "minilb_resolver_query_duration_seconds_bucket{le=\"5.0E-4\"}"))
        .isZero();
    assertThat(value(text, "minilb_resolver_query_duration_seconds_bucket{le=\"0.001\"}"))
        .isEqualTo(1);
    assertThat(value(text, "minilb_resolver_query_duration_seconds_bucket{le=\"+Inf\"}"))
        .isEqualTo(2);
    assertThat(value(text, "minilb_resolver_queries_total{qtype=\"SRV\",rcode=\"other\"}"))
        .isEqualTo(1);
    assertThat(value(text, "minilb_resolver_malformed_total{action=\"formerr\"}")).isEqualTo(1);
    assertThat(text)
        .contains(
            "# TYPE minilb_resolver_queries_total counter",
            "# TYPE minilb_resolver_query_duration_seconds histogram",
            "# HELP minilb_resolver_query_duration_seconds Time from a parsed query to its encoded"
                + " response",
            "minilb_resolver_queries_total{qtype=\"CNAME\",rcode=\"NOTZONE\"} 0.0");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }

  private String scrape() {
    var out = new ByteArrayOutputStream();
    try {
      new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static double value(String text, String series) {
    var m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as(series + " in\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
