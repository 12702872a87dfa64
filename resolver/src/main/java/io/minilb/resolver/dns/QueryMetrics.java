package io.minilb.resolver.dns;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Per-query counters and the latency histogram, as striped counters ({@link LongAdder}) summed only
 * when {@code /metrics} is scraped: counting a query is two array lookups and two uncontended adds,
 * with no allocation, no lock and no logging on the query path, and no exemplar sampling. Every
 * query is counted and timed; a scrape may see a query's count before its latency (each cell is
 * exact, the set of cells is not one atomic snapshot). Thread-safe.
 */
public final class QueryMetrics implements MultiCollector {

  private static final int[] COMMON_TYPES = {
    Type.A,
    Type.AAAA,
    Type.SRV,
    Type.PTR,
    Type.SOA,
    Type.NS,
    Type.TXT,
    Type.ANY,
    Type.HTTPS,
    Type.CNAME
  };
  private static final int RCODES = 11; // NOERROR..NOTZONE; BADVERS and the rest go to "other"
  private static final int OTHER_TYPE = COMMON_TYPES.length;
  private static final double[] BOUNDS_SECONDS = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.1
  };
  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

  static {
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  /** [type index][rcode index], types in COMMON_TYPES order then "other". */
  private final LongAdder[][] queries = new LongAdder[OTHER_TYPE + 1][RCODES + 1];

  /** Per bucket (not cumulative), the last one +Inf. */
  private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];

  private final LongAdder nanos = new LongAdder();
  private final LongAdder formerr = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  public QueryMetrics(PrometheusRegistry registry) {
    for (LongAdder[] row : queries) {
      for (int r = 0; r < row.length; r++) {
        row[r] = new LongAdder();
      }
    }
    for (int b = 0; b < buckets.length; b++) {
      buckets[b] = new LongAdder();
    }
    registry.register(this);
  }

  /** Counts one answered query and its time from receipt to encoded response. */
  void query(int qtype, int rcode, long nanos) {
    queries[typeIndex(qtype)][rcode >= 0 && rcode < RCODES ? rcode : RCODES].increment();
    int b = 0;
    while (b < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[b]) {
      b++;
    }
    buckets[b].increment();
    this.nanos.add(nanos);
  }

  void formerr() {
    formerr.increment();
  }

  void dropped() {
    dropped.increment();
  }

  @Override
  public MetricSnapshots collect() {
    var counts = CounterSnapshot.builder().name("minilb_resolver_queries");
    counts.help("DNS queries answered, by query type and response code");
    for (int t = 0; t <= OTHER_TYPE; t++) {
      String type = t < OTHER_TYPE ? Type.string(COMMON_TYPES[t]) : "other";
      for (int r = 0; r <= RCODES; r++) {
        counts.dataPoint(point(queries[t][r], "qtype", type, "rcode", rcodeName(r)));
      }
    }
    long[] perBucket = new long[buckets.length];
    double[] bounds = new double[buckets.length];
    for (int b = 0; b < buckets.length; b++) {
      perBucket[b] = buckets[b].sum();
      bounds[b] = b < BOUNDS_SECONDS.length ? BOUNDS_SECONDS[b] : Double.POSITIVE_INFINITY;
    }
    var latency =
        HistogramSnapshot.builder()
            .name("minilb_resolver_query_duration_seconds")
            .help("Time from a parsed query to its encoded response")
            .dataPoint(
                HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
                    .sum(nanos.sum() / 1e9)
                    .build())
            .build();
    var malformed =
        CounterSnapshot.builder()
            .name("minilb_resolver_malformed")
            .help("Malformed packets: answered FORMERR or dropped")
            .dataPoint(point(formerr, "action", "formerr"))
            .dataPoint(point(dropped, "action", "dropped"))
            .build();
    return new MetricSnapshots(List.of(counts.build(), latency, malformed));
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(
        "minilb_resolver_queries",
        "minilb_resolver_query_duration_seconds",
        "minilb_resolver_malformed");
  }

  private static CounterDataPointSnapshot point(LongAdder value, String... labels) {
    return CounterDataPointSnapshot.builder().value(value.sum()).labels(Labels.of(labels)).build();
  }

  private static int typeIndex(int qtype) {
    for (int t = 0; t < OTHER_TYPE; t++) {
      if (COMMON_TYPES[t] == qtype) {
        return t;
      }
    }
    return OTHER_TYPE;
  }

  private static String rcodeName(int r) {
    return r < RCODES ? Rcode.string(r) : "other";
  }
}
