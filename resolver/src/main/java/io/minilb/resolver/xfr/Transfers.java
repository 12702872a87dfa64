package io.minilb.resolver.xfr;

import io.minilb.net.Cidr;
import io.minilb.resolver.store.Store;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Zone transfer for secondaries (an Unbound {@code auth-zone}, Knot, BIND): AXFR (RFC 5936) and
 * IXFR (RFC 1995) of every served zone to the allowed networks, optionally TSIG-signed (RFC 8945),
 * and NOTIFY (RFC 1996) to the configured secondaries when a serial changes. Off unless {@code
 * --allow-transfer} is set; then the {@code Responder} hands it every AXFR and IXFR query, and
 * every TSIG-signed query when a key is configured (so a secondary's signed SOA check gets a signed
 * answer).
 *
 * <p>Decisions, in the order they are checked: a TSIG that does not verify gets NOTAUTH with the
 * TSIG error; with a key configured, an unsigned transfer is REFUSED; a client outside {@code
 * --allow-transfer} is REFUSED; before the first snapshot or past {@code --max-stale}, SERVFAIL; a
 * name that is not a zone apex, NOTAUTH (RFC 5936 section 2.2.1); AXFR over UDP, FORMERR (RFC 5936
 * section 4.2 leaves it undefined); IXFR over UDP, the current SOA alone, meaning "use TCP" (RFC
 * 1995 section 2). Over TCP the transfer is built on a thread of its own, never on an event loop.
 *
 * <p>Thread-safe.
 */
public final class Transfers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Transfers.class);

  private final List<Cidr> allowed;
  private final TSIG key;
  private final ZoneHistory history;
  private final Notifier notifier;
  private final ThreadPoolExecutor executor;
  private final Counter transfers;

  private Transfers(TransferConfig config, Store store, PrometheusRegistry registry) {
    this.allowed = config.allowTransfer();
    this.key = config.tsigKey() == null ? null : config.tsigKey().tsig();
    this.notifier =
        config.notifyTargets().isEmpty()
            ? null
            : Notifier.start(config.notifyTargets(), key, registry);
    this.history = new ZoneHistory(notifier == null ? (apex, soa) -> {} : notifier::serialChanged);
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(32),
            r -> {
              var t = new Thread(r, "zone-transfer");
              t.setDaemon(true);
              return t;
            });
    this.transfers =
        Counter.builder()
            .name("minilb_resolver_zone_transfers_total")
            .help(
                "Zone transfers answered: axfr, ixfr_incremental, ixfr_full (serial not in the"
                    + " journal), ixfr_current (the SOA alone), refused (network, TSIG or zone)")
            .labelNames("kind")
            .register(registry);
    store.addChangeListener(history);
  }

  /**
   * Serves transfers of {@code store}'s zones (and sends NOTIFYs) as {@code config} says, from the
   * next update on; call before the store's first snapshot. Null when transfer is off.
   */
  public static Transfers start(TransferConfig config, Store store, PrometheusRegistry registry) {
    if (!config.enabled()) {
      return null;
    }
    log.info(
        "zone transfer allowed to {}{}, NOTIFY to {}",
        config.allowTransfer(),
        config.tsigKey() == null ? "" : " with TSIG key " + config.tsigKey().name(),
        config.notifyTargets());
    return new Transfers(config, store, registry);
  }

  /** Whether {@link #respond} answers {@code query}: an AXFR or IXFR, or any signed query. */
  public boolean claims(Message query) {
    Record q = query.getQuestion();
    if (q == null || query.getHeader().getOpcode() != Opcode.QUERY) {
      return false;
    }
    return q.getType() == Type.AXFR || q.getType() == Type.IXFR || query.getTSIG() != null;
  }

  /**
   * Answers a query {@link #claims} accepted. Every response message goes to {@code send}: at once,
   * or later from the transfer thread.
   *
   * @param wire the query as received (TSIG signs those exact bytes)
   * @param limit the largest single response this client takes (its UDP size, or 65,535)
   * @param expired whether the data is past {@code --max-stale}
   * @param answer the ordinary answer to a query that is not a transfer
   * @return the response code, for the query metrics
   */
  public int respond(
      Message query,
      byte[] wire,
      boolean udp,
      int limit,
      InetAddress client,
      boolean expired,
      UnaryOperator<Message> answer,
      Consumer<byte[]> send) {
    TSIGRecord signed = query.getTSIG();
    Record q = query.getQuestion();
    boolean transfer = q.getType() == Type.AXFR || q.getType() == Type.IXFR;
    if (signed != null) {
      int error = key == null ? Rcode.BADKEY : key.verify(query, wire, null);
      if (error != Rcode.NOERROR) {
        count(transfer, "refused");
        return reply(TransferMessages.tsigError(query, error, key), null, limit, send);
      }
    }
    if (!transfer) {
      return reply(answer.apply(query), signed, limit, send);
    }
    if ((key != null && signed == null) || !allowed(client)) {
      count(true, "refused");
      return reply(TransferMessages.error(query, Rcode.REFUSED), signed, limit, send);
    }
    ZoneHistory.State state = history.state();
    if (state == null || expired) {
      return reply(TransferMessages.error(query, Rcode.SERVFAIL), signed, limit, send);
    }
    Name apex = q.getName();
    SOARecord soa = q.getDClass() == DClass.IN ? state.view().soa(apex) : null;
    if (soa == null) {
      count(true, "refused");
      return reply(TransferMessages.error(query, Rcode.NOTAUTH), signed, limit, send);
    }
    soa = (SOARecord) soa.withName(apex); // the question's spelling
    if (q.getType() == Type.AXFR && udp) {
      return reply(TransferMessages.error(query, Rcode.FORMERR), signed, limit, send);
    }
    Long clientSerial = null;
    if (q.getType() == Type.IXFR) {
      clientSerial = clientSerial(query, apex);
      if (clientSerial == null) {
        return reply(TransferMessages.error(query, Rcode.FORMERR), signed, limit, send);
      }
      if (udp || !ZoneHistory.newer(soa.getSerial(), clientSerial)) {
        // current (or newer) → the SOA alone; over UDP that also means "ask again over TCP"
        var m = TransferMessages.response(query, true);
        m.addRecord(soa, Section.ANSWER);
        count(true, "ixfr_current");
        return reply(m, signed, limit, send);
      }
    }
    SOARecord current = soa;
    Long since = clientSerial;
    try {
      executor.execute(
          () -> {
            List<byte[]> wires;
            try {
              var records = new ArrayList<Record>();
              count(true, records(state, apex, current, since, records));
              var messages = TransferMessages.split(query, records, TransferMessages.CHUNK);
              wires = TransferMessages.render(messages, key, signed);
            } catch (RuntimeException e) {
              log.warn("transfer of {} failed: {}", apex, e.toString());
              wires = List.of(TransferMessages.error(query, Rcode.SERVFAIL).toWire());
            }
            wires.forEach(send);
          });
    } catch (RejectedExecutionException busy) {
      return reply(TransferMessages.error(query, Rcode.SERVFAIL), signed, limit, send);
    }
    return Rcode.NOERROR;
  }

  /**
   * The answer records of a transfer: the SOA, then for an IXFR from a serial in the journal each
   * step (old SOA, deletions, new SOA, additions), else the whole zone; then the SOA again.
   *
   * @return which kind of transfer {@code out} now holds, for the metrics
   */
  private static String records(
      ZoneHistory.State state, Name apex, SOARecord soa, Long since, List<Record> out) {
    String kind;
    out.add(soa);
    var steps = since == null ? null : state.journal(apex).since(since);
    if (steps != null && steps.get(steps.size() - 1).to().getSerial() == soa.getSerial()) {
      for (Journal.Step s : steps) {
        out.add(s.from().withName(apex));
        out.addAll(s.deleted());
        out.add(s.to().withName(apex));
        out.addAll(s.added());
      }
      kind = "ixfr_incremental";
    } else {
      out.addAll(state.view().records(apex));
      kind = since == null ? "axfr" : "ixfr_full";
    }
    out.add(soa);
    return kind;
  }

  private void count(boolean transfer, String kind) {
    if (transfer) {
      transfers.labelValues(kind).inc();
    }
  }

  /** The serial of the SOA an IXFR carries in its authority section, or null. */
  private static Long clientSerial(Message query, Name apex) {
    for (Record r : query.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord s && s.getName().equals(apex)) {
        return s.getSerial();
      }
    }
    return null;
  }

  /** Sends one response, signed when the query was (dnsjava truncates, then signs, to fit). */
  private int reply(Message m, TSIGRecord signed, int limit, Consumer<byte[]> send) {
    if (key != null && signed != null && m.getTSIG() == null) {
      m.setTSIG(key, Rcode.NOERROR, signed);
    }
    send.accept(m.toWire(limit));
    return m.getRcode();
  }

  private boolean allowed(InetAddress client) {
    InetAddress c = unmapped(client);
    return c != null && allowed.stream().anyMatch(cidr -> cidr.contains(c));
  }

  /** An IPv4 client seen through a dual-stack socket as {@code ::ffff:a.b.c.d}, as IPv4. */
  private static InetAddress unmapped(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        try {
          return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException e) {
          return a;
        }
      }
    }
    return a;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (notifier != null) {
      notifier.close();
    }
  }
}
