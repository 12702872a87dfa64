package io.minilb.resolver.sync;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.Ack;
import io.minilb.proto.v1.Subscribe;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.store.Store;
import io.minilb.resolver.store.WireSnapshot;
import io.minilb.resolver.store.ZoneIndex;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.Snapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link Store} in step with a controller. Connects to one of several controller targets
 * in turn, subscribes with the version it holds, applies each snapshot or delta, and acknowledges
 * it. On any stream failure it moves to the next target; the delay before the next attempt doubles
 * after each full round over the targets, up to a cap; the store keeps answering from what it has
 * meanwhile.
 *
 * <p>Threading: all stream callbacks and reconnects run on one scheduler thread per instance of
 * gRPC's callback executor; state changes are confined to {@code synchronized} methods.
 */
public final class ControllerStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerStream.class);
  static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** A full snapshot at least this large on the wire (about 3k Services) is followed by a GC. */
  static final int COLLECT_AFTER_BYTES = 1 << 20;

  /** At most one such collection per this long, however often full snapshots arrive. */
  static final long COLLECT_AT_MOST_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** A delta that takes this long from arrival to serving is logged at INFO. */
  static final long SLOW_DELTA_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** Connection state, for readiness and metrics. */
  public enum State {
    CONNECTING,
    SYNCED,
    DISCONNECTED
  }

  private final List<ManagedChannel> channels;
  private final Store store;
  private final String node;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean collectPending = new AtomicBoolean();
  private volatile long lastCollectNanos = System.nanoTime() - COLLECT_AT_MOST_EVERY_NANOS;

  private int target;
  private Duration backoff = MIN_BACKOFF;
  private StreamObserver<WatchRequest> requests;
  private volatile State state = State.CONNECTING;
  private boolean closed;
  private int failures;
  private boolean warmed;
  private boolean wantFull; // subscribe without a held version, for a full snapshot
  private final SlowDeltaLine slowDeltaLine = new SlowDeltaLine();

  /**
   * @param targets controller addresses ({@code host:port} or any gRPC target)
   * @param channelFactory builds the channel for one target (transport, TLS and keepalive settings)
   */
  public ControllerStream(
      List<String> targets,
      Function<String, ManagedChannel> channelFactory,
      Store store,
      String node,
      ScheduledExecutorService scheduler) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one controller target is required");
    }
    this.channels = targets.stream().map(channelFactory).toList();
    this.store = store;
    this.node = node;
    this.scheduler = scheduler;
  }

  public State state() {
    return state;
  }

  public synchronized void start() {
    connect();
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    ManagedChannel channel = channels.get(target);
    var call = new Call();
    requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(Incoming.WATCH, CallOptions.DEFAULT), call);
    call.requests = requests;
    subscribe(requests);
  }

  private void subscribe(StreamObserver<WatchRequest> out) {
    var sub = Subscribe.newBuilder().setNode(node);
    if (!wantFull) {
      store.version().ifPresent(v -> sub.setHave(Messages.toProto(v)));
    }
    out.onNext(WatchRequest.newBuilder().setSubscribe(sub).build());
  }

  private synchronized void onResponse(Call call, Incoming incoming) {
    if (call.requests != requests) {
      return; // a stale stream
    }
    if (incoming.unread() != null) {
      refuseUnread(incoming);
      return;
    }
    WatchResponse response = incoming.parsed();
    long started = System.nanoTime();
    try {
      if (incoming.snapshot() != null) {
        ZoneIndex idx =
            WireSnapshot.index(incoming.snapshot(), incoming.offset(), incoming.length());
        store.replace(idx);
        wantFull = false;
        log.info(
            "full snapshot {} from {}: {} rrsets, {} bytes; read {} ms, indexed {} ms",
            idx.version(),
            targetName(),
            idx.rrsetCount(),
            incoming.size(),
            millis(incoming.parsedNanos() - incoming.readNanos()),
            millis(System.nanoTime() - started));
        // The sync's peak (the wire bytes, the previous index, the decode's garbage) sits in the
        // old generation, and the serial collector gives committed heap back to the system only
        // at a full collection (down to -XX:MaxHeapFreeRatio): without one the peak stays
        // committed for the life of the process. Full syncs are rare (start, or a resubscription
        // the controller cannot serve as a delta); a small one leaves too little to be worth the
        // pause. A second later, so the pause never delays the acknowledgement below.
        if (incoming.length() >= COLLECT_AFTER_BYTES) {
          collectSoon();
        }
        if (!warmed) {
          warmed = true;
          scheduler.execute(ControllerStream::warmDeltaPath);
        }
      } else {
        switch (response.getKindCase()) {
          case SNAPSHOT -> {
            Snapshot s = Messages.fromProto(response.getSnapshot());
            store.replace(s);
            wantFull = false;
            log.info(
                "full snapshot {} from {}: {} rrsets",
                s.version(),
                targetName(),
                s.rrsets().size());
          }
          case DELTA -> {
            Delta d = Messages.fromProto(response.getDelta());
            if (confirms(d)) {
              log.debug("controller {} confirmed held version {}", targetName(), d.version());
            } else if (!store.apply(d)) {
              log.warn(
                  "delta base {} does not match held {}; subscribing again on a new stream",
                  d.base(),
                  store.version().map(Object::toString).orElse("none"));
              restart(requests, Duration.ZERO);
              return;
            }
            logApplied(incoming, d, started);
          }
          default -> {
            return;
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // A record the index cannot serve: nothing was applied, the last good data keeps serving.
      // Not acknowledged; after a pause, subscribe again from the held version, so a controller
      // that has dropped the bad record meanwhile brings the resolver up to date.
      log.warn(
          "rejected {} from {}: {}; serving {}",
          incoming.snapshot() != null
              ? "snapshot"
              : response.getKindCase().name().toLowerCase(java.util.Locale.ROOT),
          targetName(),
          e.getMessage(),
          store.version().map(v -> "held version " + v).orElse("SERVFAIL (no data yet)"));
      restart(requests, MAX_BACKOFF);
      return;
    }
    if (state != State.SYNCED) {
      log.info("synced with controller {}", targetName());
    }
    state = State.SYNCED;
    failures = 0;
    store.freshness().current();
    backoff = MIN_BACKOFF;
    store
        .version()
        .ifPresent(
            v ->
                requests.onNext(
                    WatchRequest.newBuilder()
                        .setAck(Ack.newBuilder().setVersion(Messages.toProto(v)))
                        .build()));
  }

  /**
   * Whether {@code d} only confirms the version held: empty, from that version to itself, as a
   * controller sends to a resolver that subscribes holding its newest version. Nothing is applied
   * (no new index, no zone-transfer history); the data is current again and acknowledged.
   */
  private boolean confirms(Delta d) {
    return d.isEmpty()
        && d.base().equals(d.version())
        && store.version().filter(d.version()::equals).isPresent();
  }

  /**
   * A response not parsed ({@link Incoming#unread()}): nothing is applied, the held data keeps
   * serving, and the resolver subscribes again without its version, which a controller answers with
   * a full snapshot (it never sends a delta over the limit). At once the first time; after the
   * longest backoff when a response to such a subscription is unread too, so a controller that
   * keeps sending them costs a read and a log line per pause, not a loop.
   */
  private void refuseUnread(Incoming incoming) {
    boolean again = wantFull;
    wantFull = true;
    log.warn(
        "refused a {}-byte response from {}: {}; asking for a full snapshot{}; serving {}",
        incoming.size(),
        targetName(),
        incoming.unread(),
        again ? " in " + MAX_BACKOFF.toSeconds() + " s" : "",
        store.version().map(v -> "held version " + v).orElse("SERVFAIL (no data yet)"));
    restart(requests, again ? MAX_BACKOFF : Duration.ZERO);
  }

  /**
   * Ends stream {@code on}, if it is still the current one, at once, and subscribes on a new stream
   * after {@code delay}: the controller takes one Subscribe per stream. Nothing more is read from
   * the ended stream meanwhile.
   */
  private synchronized void restart(StreamObserver<WatchRequest> on, Duration delay) {
    if (!closed && requests == on) {
      requests = null;
      if (store.index() != null) {
        // Out of step until a stream says otherwise (a controller answers every subscription),
        // so a resolver that keeps refusing what it is sent ages toward --max-stale.
        store.freshness().disconnected();
      }
      on.onError(Status.CANCELLED.withDescription("subscribing again").asRuntimeException());
      if (delay.isZero()) {
        connect();
      } else {
        scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private synchronized void onEnd(Call call, Throwable error) {
    if (call.requests != requests || closed) {
      return;
    }
    Status status = error == null ? Status.OK : Status.fromThrowable(error);
    boolean wasSynced = state == State.SYNCED;
    if (store.index() != null) {
      store.freshness().disconnected();
    }
    failures = wasSynced ? 1 : failures + 1;
    // A WARN when a working stream drops, then one per ten failed attempts: never a log flood.
    // Not reaching a controller yet at start-up is expected (it may still be starting): INFO.
    org.slf4j.event.Level level;
    if (failures % 10 == 0) {
      level = org.slf4j.event.Level.WARN;
    } else if (failures == 1) {
      level = wasSynced ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.INFO;
    } else {
      level = org.slf4j.event.Level.DEBUG;
    }
    log.atLevel(level)
        .log(
            "stream to controller {} ended: {}{}; serving {}; retry {} in {} ms",
            targetName(),
            status.getCode(),
            status.getDescription() == null ? "" : " (" + status.getDescription() + ")",
            store.version().map(v -> "held version " + v).orElse("SERVFAIL (no data yet)"),
            failures,
            backoff.toMillis());
    if (wasSynced) {
      state = State.DISCONNECTED;
    }
    requests = null;
    target = (target + 1) % channels.size();
    scheduler.schedule(this::connect, backoff.toMillis(), TimeUnit.MILLISECONDS);
    // The delay grows once per round over all targets, not per target: a follower's refusal or a
    // dead replica must not delay trying the leader behind it.
    if (target == 0) {
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /**
   * One line per delta, at DEBUG: its size and where its time went in this process, from gRPC
   * handing it over to the new index serving. At INFO when that took longer than {@link
   * #SLOW_DELTA_NANOS}, which a healthy resolver never does (a delta applies in well under a
   * millisecond), at most once per {@link SlowDeltaLine#EVERY_NANOS} with the count of slow deltas
   * held back since; those held back stay at DEBUG.
   */
  private void logApplied(Incoming incoming, Delta d, long started) {
    long applied = System.nanoTime();
    boolean slow = applied - incoming.readNanos() >= SLOW_DELTA_NANOS;
    int heldBack = slow ? slowDeltaLine.admit(applied) : -1;
    boolean info = heldBack >= 0;
    if (!info && !log.isDebugEnabled()) {
      return;
    }
    log.atLevel(info ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
        .log(
            "{}delta {} applied: {} bytes, {} upserts, {} removals; read {} ms, waited {} ms,"
                + " applied {} ms{}",
            slow ? "slow " : "",
            d.version(),
            incoming.size(),
            d.upserts().size(),
            d.removals().size(),
            millis(incoming.parsedNanos() - incoming.readNanos()),
            millis(started - incoming.parsedNanos()),
            millis(applied - started),
            heldBack > 0 ? "; " + heldBack + " more slow deltas since the last such line" : "");
  }

  /** After the first sync, off the stream's callbacks: see {@link DeltaWarmUp}. */
  private static void warmDeltaPath() {
    long t0 = System.nanoTime();
    try {
      DeltaWarmUp.run();
      log.debug("delta path warmed up in {} ms", millis(System.nanoTime() - t0));
    } catch (RuntimeException e) {
      log.debug("delta path warm-up failed; the first delta will load it", e);
    }
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  private String targetName() {
    return channels.get(target).authority();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (requests != null) {
        requests.onCompleted();
        requests = null;
      }
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
  }

  private final class Call implements StreamObserver<Incoming> {
    volatile StreamObserver<WatchRequest> requests;

    @Override
    public void onNext(Incoming value) {
      onResponse(this, value);
    }

    @Override
    public void onError(Throwable t) {
      onEnd(this, t);
    }

    @Override
    public void onCompleted() {
      onEnd(this, null);
    }
  }

  /**
   * A full collection a second from now, unless one is already pending or ran within the last
   * minute: a controller that keeps sending large full snapshots (or a resubscription loop) must
   * not buy a stop-the-world pause per snapshot.
   */
  private void collectSoon() {
    if (System.nanoTime() - lastCollectNanos < COLLECT_AT_MOST_EVERY_NANOS
        || !collectPending.compareAndSet(false, true)) {
      return;
    }
    scheduler.schedule(
        () -> {
          lastCollectNanos = System.nanoTime();
          collectPending.set(false);
          System.gc();
        },
        1,
        TimeUnit.SECONDS);
  }
}
