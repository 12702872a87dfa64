package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.Store;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The datagram edge, through Netty's {@code EmbeddedChannel}: every response is the one the {@link
 * Responder} gives for that query alone, although consecutive queries on the thread share one
 * scratch buffer and fast-path answers are written straight from it.
 */
class UdpDnsHandlerTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  @Test
  void consecutiveQueriesOfDifferentLengths_eachGetTheirOwnResponse_andAreCountedOnce()
      throws Exception {
    answersAndCounts(new RateLimiter(0, 0, System::currentTimeMillis));
  }

  @Test
  void underAnUnreachedRateLimit_theSameResponsesGoOut() throws Exception {
    answersAndCounts(new RateLimiter(1000, 2, System::currentTimeMillis));
  }

  private void answersAndCounts(RateLimiter limiter) throws Exception {
    var store = new Store();
    store.replace(ZoneText.snapshot(AnswererTest.ZONE));
    var registry = new PrometheusRegistry();
    var responder = new Responder(store, new Answerer(""), null, new QueryMetrics(registry));
    var reference = new Responder(store, new Answerer(""), null, new QueryMetrics(registry()));
    var channel = new EmbeddedChannel(new UdpDnsHandler(responder, limiter));

    List<byte[]> queries = new ArrayList<>();
    // long, then shorter: a response built from stale scratch bytes would show here
    queries.add(withOpt(AnswererTest.query("dual.default.minilb.", Type.AAAA)));
    queries.add(AnswererTest.query("web.default.minilb.", Type.A).toWire());
    queries.add(AnswererTest.query("v6.apps.minilb.", Type.AAAA).toWire());
    queries.add(AnswererTest.query("nope.default.minilb.", Type.A).toWire()); // general path
    queries.add(AnswererTest.query("web.default.minilb.", Type.A).toWire());
    queries.add(withOpt(AnswererTest.query("WEB.default.minilb.", Type.A)));
    for (byte[] q : queries) {
      channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(q), SERVER, CLIENT));
      channel.flushOutbound();
      DatagramPacket out = channel.readOutbound();
      assertThat(out).isNotNull();
      assertThat(out.recipient()).isEqualTo(CLIENT);
      byte[] got = ByteBufUtil.getBytes(out.content());
      out.release();
      byte[] want = ((Reply.Answer) reference.respond(q, true, null, later -> {})).wire();
      assertSameAnswer(got, want);
    }
    assertThat(channel.<Object>readOutbound()).isNull();
    double counted = 0;
    for (var s : registry.scrape()) {
      if (s.getMetadata().getName().equals("minilb_resolver_queries")) {
        for (var p : s.getDataPoints()) {
          counted += ((CounterDataPointSnapshot) p).getValue();
        }
      }
    }
    assertThat(counted).isEqualTo(queries.size());
    channel.finishAndReleaseAll();
  }

  /** Same bytes, except the record order within the answer, which rotates per query. */
  private static void assertSameAnswer(byte[] got, byte[] want) throws Exception {
    assertThat(got.length).isEqualTo(want.length);
    Message g = new Message(got);
    Message w = new Message(want);
    assertThat(g.getHeader().toString()).isEqualTo(w.getHeader().toString());
    assertThat(g.getQuestion()).isEqualTo(w.getQuestion());
    assertThat(ZoneText.section(g, Section.ANSWER))
        .containsExactlyInAnyOrderElementsOf(ZoneText.section(w, Section.ANSWER));
    assertThat(ZoneText.section(g, Section.AUTHORITY))
        .containsExactlyInAnyOrderElementsOf(ZoneText.section(w, Section.AUTHORITY));
    assertThat(String.valueOf(g.getOPT())).isEqualTo(String.valueOf(w.getOPT()));
  }

  private static byte[] withOpt(Message q) {
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return q.toWire();
  }

  private static PrometheusRegistry registry() {
    return new PrometheusRegistry();
  }
}
