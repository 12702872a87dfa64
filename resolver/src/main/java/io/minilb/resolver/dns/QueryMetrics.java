package io.minilb.resolver.dns;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Per-query counters and the latency histogram. Data points of the common (qtype, rcode) pairs are
 * resolved once, so counting a query is an array lookup and an atomic add: no map lookups, no
 * allocation, no logging on the query path.
 */
public final class QueryMetrics {

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

  private final Counter queries;
  private final Histogram latency;
  private final CounterDataPoint formerr;
  private final CounterDataPoint dropped;
  private final CounterDataPoint[][] points;
  private final CounterDataPoint[] otherType;

  public QueryMetrics(PrometheusRegistry registry) {
    queries =
        Counter.builder()
            .name("minilb_resolver_queries_total")
            .help("DNS queries answered, by query type and response code")
            .labelNames("qtype", "rcode")
            .register(registry);
    latency =
        Histogram.builder()
            .name("minilb_resolver_query_duration_seconds")
            .help("Time from a parsed query to its encoded response")
            .classicUpperBounds(
                0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.1)
            .register(registry);
    Counter malformed =
        Counter.builder()
            .name("minilb_resolver_malformed_total")
            .help("Malformed packets: answered FORMERR or dropped")
            .labelNames("action")
            .register(registry);
    formerr = malformed.labelValues("formerr");
    dropped = malformed.labelValues("dropped");
    points = new CounterDataPoint[COMMON_TYPES.length][RCODES + 1];
    otherType = new CounterDataPoint[RCODES + 1];
    for (int t = 0; t < COMMON_TYPES.length; t++) {
      for (int r = 0; r <= RCODES; r++) {
        points[t][r] = queries.labelValues(Type.string(COMMON_TYPES[t]), rcodeName(r));
      }
    }
    for (int r = 0; r <= RCODES; r++) {
      otherType[r] = queries.labelValues("other", rcodeName(r));
    }
  }

  void query(int qtype, int rcode, long nanos) {
    int r = rcode >= 0 && rcode < RCODES ? rcode : RCODES;
    CounterDataPoint p = otherType[r];
    for (int t = 0; t < COMMON_TYPES.length; t++) {
      if (COMMON_TYPES[t] == qtype) {
        p = points[t][r];
        break;
      }
    }
    p.inc();
    latency.observe(nanos / 1e9);
  }

  void formerr() {
    formerr.inc();
  }

  void dropped() {
    dropped.inc();
  }

  private static String rcodeName(int r) {
    return r < RCODES ? Rcode.string(r) : "other";
  }
}
