package io.minilb.resolver.dns;

import static io.minilb.resolver.dns.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.ZoneIndex;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The general path shares one index between every event loop; rotating an RRset must not race.
 * (dnsjava's {@code RRset.rrs(true)} bumps a plain {@code short} shared by all threads; under
 * contention it went negative and answers failed with IndexOutOfBounds.)
 */
class RotationStressTest {

  private static final String ZONE =
      ExtraZonesTest.ZONES
          + """
          _http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-1.web.default.minilb.
          _http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-2.web.default.minilb.
          web-1.web.default.minilb. 5 IN A 10.244.0.11
          web-2.web.default.minilb. 5 IN A 10.244.0.12
          10.0.244.10.in-addr.arpa. 5 IN PTR other.default.minilb.
          """;

  @Test
  void fourThreads_aMillionGeneralPathQueries_neverFail_andEveryAnswerIsComplete()
      throws Exception {
    ZoneIndex index = ZoneText.index(ZONE);
    var answerer = new Answerer("");
    Message[] queries = {
      query("_http._tcp.web.default.minilb.", Type.SRV),
      query("_HTTP._tcp.Web.Default.MiniLB.", Type.SRV),
      query("10.0.244.10.in-addr.arpa.", Type.PTR),
      query("10.0.244.10.IN-ADDR.arpa.", Type.PTR),
    };
    int[] expected = {3, 3, 3, 3};
    var failures = new AtomicLong();
    var pool = Executors.newFixedThreadPool(4);
    try {
      var tasks = new ArrayList<Callable<Void>>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        tasks.add(
            () -> {
              for (int i = 0; i < 250_000; i++) {
                int k = (i + offset) % queries.length;
                try {
                  Message r = answerer.answer(queries[k], index, false);
                  if (r.getRcode() != Rcode.NOERROR
                      || r.getSection(Section.ANSWER).size() != expected[k]) {
                    failures.incrementAndGet();
                  }
                } catch (RuntimeException e) {
                  failures.incrementAndGet();
                }
              }
              return null;
            });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures.get()).isZero();
  }
}
