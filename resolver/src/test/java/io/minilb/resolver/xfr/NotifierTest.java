package io.minilb.resolver.xfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** NOTIFY coalescing and retries, on a virtual clock: no sleeping, no sockets. */
class NotifierTest {

  private static final Name ZONE = Name.fromConstantString("minilb.");
  private static final InetSocketAddress ROUTER = new InetSocketAddress("192.0.2.1", 53);

  /** Tasks run in time order when the test moves the clock. */
  private static final class VirtualTimer implements Notifier.Timer {
    private record Task(long at, long seq, Runnable run) {}

    private final PriorityQueue<Task> tasks =
        new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000;
    private long seq;

    @Override
    public void schedule(Runnable task, long delayMillis) {
      tasks.add(new Task(now + delayMillis, seq++, task));
    }

    @Override
    public long nowMillis() {
      return now;
    }

    void advance(long millis) {
      long until = now + millis;
      while (!tasks.isEmpty() && tasks.peek().at <= until) {
        Task t = tasks.poll();
        now = Math.max(now, t.at);
        t.run.run();
      }
      now = until;
    }

    @Override
    public void close() {}
  }

  private record Sent(long at, long serial, CompletableFuture<Message> response) {}

  private final VirtualTimer timer = new VirtualTimer();
  private final List<Sent> sent = new ArrayList<>();
  private final Notifier notifier =
      new Notifier(List.of(ROUTER), timer, this::send, new PrometheusRegistry());

  private CompletionStage<Message> send(InetSocketAddress target, Message notify) {
    assertThat(notify.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    assertThat(notify.getQuestion().getType()).isEqualTo(Type.SOA);
    var soa = (SOARecord) notify.getSection(Section.ANSWER).get(0);
    var f = new CompletableFuture<Message>();
    sent.add(new Sent(timer.nowMillis(), soa.getSerial(), f));
    return f;
  }

  private static SOARecord soa(long serial) {
    return new SOARecord(
        ZONE,
        DClass.IN,
        5,
        Name.fromConstantString("ns.minilb."),
        Name.fromConstantString("hostmaster.minilb."),
        serial,
        60,
        30,
        3600,
        5);
  }

  private void answer(Sent s, int rcode) {
    var m = new Message();
    m.getHeader().setRcode(rcode);
    s.response().complete(m);
  }

  @Test
  void aBurstOfChanges_sendsOneNotify_withTheNewestSerial() {
    for (long serial = 1; serial <= 10; serial++) {
      notifier.serialChanged(ZONE, soa(serial));
      timer.advance(10);
    }
    timer.advance(Notifier.HOLD.toMillis());
    assertThat(sent).singleElement().satisfies(s -> assertThat(s.serial()).isEqualTo(10));
  }

  @Test
  void changesSoonAfterANotify_waitForTheInterval_thenGoAsOne() {
    notifier.serialChanged(ZONE, soa(1));
    timer.advance(Notifier.HOLD.toMillis());
    answer(sent.get(0), Rcode.NOERROR);
    notifier.serialChanged(ZONE, soa(2));
    notifier.serialChanged(ZONE, soa(3));
    timer.advance(Notifier.INTERVAL.toMillis() - 1);
    assertThat(sent).hasSize(1);
    timer.advance(Notifier.INTERVAL.toMillis());
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).serial()).isEqualTo(3);
    assertThat(sent.get(1).at() - sent.get(0).at())
        .isGreaterThanOrEqualTo(Notifier.INTERVAL.toMillis());
  }

  @Test
  void zonesThatCameAndWent_leaveNoSlotsBehind() throws Exception {
    for (int i = 0; i < 100; i++) {
      notifier.serialChanged(Name.fromString("h" + i + ".example."), soa(1));
    }
    timer.advance(Notifier.HOLD.toMillis());
    assertThat(sent).hasSize(100);
    sent.forEach(s -> answer(s, Rcode.NOERROR));
    timer.advance(Notifier.INTERVAL.toMillis());

    assertThat(notifier.slotCount()).isZero();
  }

  @Test
  void aChangeRightAfterAForgottenSlot_stillWaitsForTheInterval() {
    notifier.serialChanged(ZONE, soa(1));
    timer.advance(Notifier.HOLD.toMillis());
    answer(sent.get(0), Rcode.NOERROR);
    timer.advance(Notifier.INTERVAL.toMillis());
    notifier.serialChanged(ZONE, soa(2));
    timer.advance(Notifier.HOLD.toMillis());

    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).at() - sent.get(0).at())
        .isGreaterThanOrEqualTo(Notifier.INTERVAL.toMillis());
  }

  @Test
  void anUnansweredNotify_isRetried_aFewTimes_thenGivenUp() {
    notifier.serialChanged(ZONE, soa(7));
    timer.advance(Notifier.HOLD.toMillis());
    for (int i = 0; i < 20; i++) {
      sent.get(sent.size() - 1)
          .response()
          .completeExceptionally(new java.io.IOException("timeout"));
      timer.advance(Notifier.RETRY.toMillis());
    }
    assertThat(sent).hasSize(Notifier.ATTEMPTS).allMatch(s -> s.serial() == 7);
  }

  @Test
  void anAnsweredNotify_orAnErrorResponse_isNotRetried() {
    notifier.serialChanged(ZONE, soa(7));
    timer.advance(Notifier.HOLD.toMillis());
    answer(sent.get(0), Rcode.REFUSED);
    timer.advance(Notifier.RETRY.toMillis() * 10);
    assertThat(sent).hasSize(1);
  }

  @Test
  void aNewerSerial_replacesTheOneBeingRetried() {
    notifier.serialChanged(ZONE, soa(7));
    timer.advance(Notifier.HOLD.toMillis());
    notifier.serialChanged(ZONE, soa(8));
    sent.get(0).response().completeExceptionally(new java.io.IOException("timeout"));
    timer.advance(Notifier.RETRY.toMillis());
    assertThat(sent).extracting(Sent::serial).containsExactly(7L, 8L);
  }
}
