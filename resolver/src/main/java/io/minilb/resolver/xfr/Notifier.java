package io.minilb.resolver.xfr;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * Sends NOTIFY (RFC 1996) over UDP to each secondary when a zone's serial changes. Coalesced per
 * zone and secondary: the first NOTIFY waits {@link #HOLD} so a burst of changes sends one, and
 * another follows no sooner than {@link #INTERVAL} after it, carrying the newest SOA. Unanswered,
 * it is sent again every {@link #RETRY}, {@link #ATTEMPTS} times in all (RFC 1996 section 3.6); a
 * newer serial replaces the one being retried. An error response is logged and not retried.
 *
 * <p>Thread-safe: {@link #serialChanged} hands over to the timer's single thread, which alone
 * touches the per-zone state.
 */
final class Notifier implements AutoCloseable {

  static final Duration HOLD = Duration.ofMillis(200);
  static final Duration INTERVAL = Duration.ofMillis(500);
  static final Duration RETRY = Duration.ofSeconds(2);
  static final int ATTEMPTS = 5;

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  /** Runs tasks one at a time, in order, after a delay; and tells the time. */
  interface Timer extends AutoCloseable {
    void schedule(Runnable task, long delayMillis);

    long nowMillis();

    @Override
    void close();
  }

  /** Sends one NOTIFY; completes with the secondary's response, or fails when none came. */
  @FunctionalInterface
  interface Sender {
    CompletionStage<Message> send(InetSocketAddress target, Message notify);
  }

  private record Key(InetSocketAddress target, Name apex) {}

  private static final class Slot {
    SOARecord latest;
    boolean scheduled;
    long lastSent = Long.MIN_VALUE / 2;
    int attempts;
  }

  private final List<InetSocketAddress> targets;
  private final Timer timer;
  private final Sender sender;
  private final Map<Key, Slot> slots = new HashMap<>();
  private final Counter results;

  Notifier(
      List<InetSocketAddress> targets, Timer timer, Sender sender, PrometheusRegistry registry) {
    this.targets = List.copyOf(targets);
    this.timer = timer;
    this.sender = sender;
    this.results =
        Counter.builder()
            .name("minilb_resolver_notifies_total")
            .help("NOTIFY messages sent, by outcome: answered, error (an error rcode), unanswered")
            .labelNames("result")
            .register(registry);
  }

  /** A notifier on a thread of its own, sending with dnsjava (signed when {@code key} is set). */
  static Notifier start(List<InetSocketAddress> targets, TSIG key, PrometheusRegistry registry) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "notify");
              t.setDaemon(true);
              return t;
            });
    Timer timer =
        new Timer() {
          @Override
          public void schedule(Runnable task, long delayMillis) {
            if (!s.isShutdown()) {
              s.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            }
          }

          @Override
          public long nowMillis() {
            return System.nanoTime() / 1_000_000;
          }

          @Override
          public void close() {
            s.shutdownNow();
          }
        };
    Sender sender =
        (target, notify) -> {
          var resolver = new SimpleResolver(target);
          resolver.setTimeout(RETRY);
          if (key != null) {
            resolver.setTSIGKey(key);
          }
          return resolver.sendAsync(notify);
        };
    return new Notifier(targets, timer, sender, registry);
  }

  /** The zone at {@code apex} now has {@code soa}: tell every secondary, soon. */
  void serialChanged(Name apex, SOARecord soa) {
    timer.schedule(() -> changed(apex, soa), 0);
  }

  private void changed(Name apex, SOARecord soa) {
    for (InetSocketAddress target : targets) {
      Slot slot = slots.computeIfAbsent(new Key(target, apex), k -> new Slot());
      slot.latest = soa;
      slot.attempts = 0;
      if (!slot.scheduled) {
        long wait = Math.max(HOLD.toMillis(), slot.lastSent + INTERVAL.toMillis() - now());
        schedule(new Key(target, apex), slot, wait);
      }
    }
  }

  private void schedule(Key key, Slot slot, long delayMillis) {
    slot.scheduled = true;
    timer.schedule(() -> fire(key, slot), delayMillis);
  }

  private void fire(Key key, Slot slot) {
    slot.scheduled = false;
    SOARecord soa = slot.latest;
    slot.lastSent = now();
    slot.attempts++;
    CompletionStage<Message> sent;
    try {
      sent = sender.send(key.target(), message(key.apex(), soa));
    } catch (RuntimeException e) {
      sent = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((response, error) -> timer.schedule(() -> done(key, slot, soa, response), 0));
  }

  private void done(Key key, Slot slot, SOARecord soa, Message response) {
    boolean answered = response != null && response.getRcode() == Rcode.NOERROR;
    results.labelValues(answered ? "answered" : response != null ? "error" : "unanswered").inc();
    if (slot.latest != soa || slot.scheduled) {
      return; // a newer serial is on its way
    }
    if (response != null) {
      if (response.getRcode() != Rcode.NOERROR) {
        log.warn(
            "NOTIFY {} serial {} to {}: {} (is this resolver allowed to notify it?)",
            key.apex(),
            soa.getSerial(),
            key.target(),
            Rcode.string(response.getRcode()));
      }
      forgetLater(key, slot);
      return;
    }
    if (slot.attempts >= ATTEMPTS) {
      log.warn(
          "NOTIFY {} serial {} to {}: no answer after {} tries",
          key.apex(),
          soa.getSerial(),
          key.target(),
          ATTEMPTS);
      forgetLater(key, slot);
      return;
    }
    schedule(key, slot, RETRY.toMillis());
  }

  /**
   * Drops a finished slot once its interval has passed (so the next change still waits for it):
   * extra-host zones come and go, and their slots must not stay behind.
   */
  private void forgetLater(Key key, Slot slot) {
    SOARecord finished = slot.latest;
    long wait = Math.max(0, slot.lastSent + INTERVAL.toMillis() - now());
    timer.schedule(
        () -> {
          if (!slot.scheduled && slot.latest == finished) {
            slots.remove(key, slot);
          }
        },
        wait);
  }

  /** How many (target, zone) slots are held: for tests. */
  int slotCount() {
    return slots.size();
  }

  /** A NOTIFY for {@code apex} carrying its SOA as the hint RFC 1996 section 3.7 allows. */
  static Message message(Name apex, SOARecord soa) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(apex, Type.SOA, DClass.IN), Section.QUESTION);
    m.addRecord(soa, Section.ANSWER);
    return m;
  }

  private long now() {
    return timer.nowMillis();
  }

  @Override
  public void close() {
    timer.close();
  }
}
