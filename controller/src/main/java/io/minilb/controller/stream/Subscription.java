package io.minilb.controller.stream;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resolver's stream. At most one message is in flight: the next is sent only after the resolver
 * acknowledges the previous one, and it is the diff from what the resolver acknowledged to the
 * newest snapshot. Bursts therefore coalesce, and a resolver that stops reading pins at most two
 * snapshots, never a queue.
 *
 * <p>A stream is subscribed once. A second Subscribe ends the stream with FAILED_PRECONDITION (a
 * resolver that must start over opens a new stream), so re-subscribing can never make the
 * controller send a message before the last one was acknowledged.
 *
 * <p>Sending also waits for the transport: for gRPC flow control ({@code isReady}), so a message is
 * only handed over once the previous one has left the process even if a client acknowledges without
 * reading, and for room in the shared {@link SendBudget}. A message that holds budget must drain
 * within {@link StreamLimits#drainTimeout()}, or the stream ends with RESOURCE_EXHAUSTED.
 *
 * <p>Thread-safe: state changes are synchronized, which also serialises calls into gRPC. The budget
 * is released outside the lock, since releasing calls other streams back.
 */
final class Subscription {

  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  private final SnapshotPublisher publisher;
  private final ServerCallStreamObserver<EncodedResponse> out;
  private final Encodings encodings;
  private final SendBudget budget;
  private final ScheduledExecutorService timer;
  private final Duration drainTimeout;
  private final Consumer<Subscription> onEnd;
  private final Consumer<String> onSlowReader;
  private final Runnable retry = this::pump;
  private boolean subscribed;
  private boolean done;
  private boolean ended;
  private Snapshot acked;
  private boolean confirmed; // the resolver acknowledged a message on this stream
  private Snapshot inFlight;
  private long held;
  private ScheduledFuture<?> drainDeadline;

  /**
   * @param onEnd runs once when the stream ends, however it ends
   * @param onSlowReader hears why a stream is ended for not reading
   */
  Subscription(
      SnapshotPublisher publisher,
      ServerCallStreamObserver<EncodedResponse> out,
      Encodings encodings,
      SendBudget budget,
      ScheduledExecutorService timer,
      Duration drainTimeout,
      Consumer<Subscription> onEnd,
      Consumer<String> onSlowReader) {
    this.publisher = publisher;
    this.out = out;
    this.encodings = encodings;
    this.budget = budget;
    this.timer = timer;
    this.drainTimeout = drainTimeout;
    this.onEnd = onEnd;
    this.onSlowReader = onSlowReader;
  }

  /**
   * Starts from {@code have}: deltas if it is a retained version of this epoch, else full.
   *
   * @return false when the stream was already subscribed (it is then ended with
   *     FAILED_PRECONDITION)
   */
  boolean subscribe(Version have) {
    synchronized (this) {
      if (subscribed) {
        failLocked(
            Status.FAILED_PRECONDITION.withDescription(
                "already subscribed; open a new stream to subscribe again"));
      } else {
        subscribed = true;
        acked = have == null ? null : publisher.find(have);
      }
    }
    if (done()) {
      end();
      return false;
    }
    pump();
    return true;
  }

  void ack(Version version) {
    synchronized (this) {
      if (inFlight == null || !inFlight.version().equals(version)) {
        return;
      }
      acked = inFlight;
      confirmed = true;
      inFlight = null;
    }
    pump();
  }

  /** The transport took what was buffered: the budget held for it is free again. */
  void onReady() {
    releaseHeld();
    pump();
  }

  /**
   * Sends the next message if the resolver acknowledged the last one and the transport has room.
   */
  void pump() {
    long free;
    boolean over;
    synchronized (this) {
      free = sendLocked();
      over = done;
    }
    if (free > 0) {
      budget.release(free);
    }
    if (over) {
      end();
    }
  }

  void fail(Status status) {
    synchronized (this) {
      failLocked(status);
    }
    end();
  }

  void complete() {
    synchronized (this) {
      if (!done) {
        done = true;
        out.onCompleted();
      }
    }
    end();
  }

  /** The client went away (cancelled, reset or half-closed): nothing more is sent. */
  void cancelled() {
    synchronized (this) {
      done = true;
    }
    end();
  }

  /** Returns the bytes to release after the lock is dropped. */
  private long sendLocked() {
    if (done || !subscribed || inFlight != null || held > 0 || !out.isReady()) {
      return 0; // waiting for an ack, or for onReady
    }
    Snapshot latest = publisher.current();
    // A resolver that subscribes holding the newest version gets one empty delta from that version
    // to itself: it confirms the data is current, which the resolver cannot know otherwise (its
    // data went stale when its last stream dropped, and --max-stale counts from there).
    if (latest == null
        || (acked != null && acked.version().equals(latest.version()) && confirmed)) {
      return 0;
    }
    EncodedResponse msg = acked == null ? encodings.full(latest) : encodings.delta(acked, latest);
    if (!budget.tryReserve(msg.size(), retry)) {
      return 0; // called back when bytes are released
    }
    inFlight = latest;
    held = msg.size();
    try {
      out.onNext(msg);
    } catch (RuntimeException e) {
      done = true; // the call was cancelled under us
    } catch (Error e) {
      // No direct memory to copy the message into (thrown by the JDK's buffer accounting, not the
      // VM, so -XX:+ExitOnOutOfMemoryError does not apply), or another error in the transport:
      // gRPC has closed the call (CANCELLED) and rethrown. This stream ends and gives its seat and
      // budget back, and the resolver tries again. Left alone, the error killed a gRPC thread and
      // the stream's seat was never given back.
      log.warn("could not send a {}-byte message: {}", msg.size(), e.toString());
      done = true;
    }
    if (done || out.isReady()) {
      long free = held;
      held = 0;
      return free;
    }
    try {
      drainDeadline =
          timer.schedule(this::drainTimedOut, drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the controller is shutting down; every stream is about to end
    }
    return 0;
  }

  private void drainTimedOut() {
    boolean stuck;
    synchronized (this) {
      stuck = held > 0 && !done;
    }
    if (stuck) {
      String why = "the last message was not read within " + drainTimeout.toSeconds() + " s";
      onSlowReader.accept(why);
      fail(Status.RESOURCE_EXHAUSTED.withDescription(why));
    }
  }

  private void releaseHeld() {
    long free;
    synchronized (this) {
      free = held;
      held = 0;
      if (drainDeadline != null) {
        drainDeadline.cancel(false);
        drainDeadline = null;
      }
    }
    if (free > 0) {
      budget.release(free);
    }
  }

  private void failLocked(Status status) {
    if (!done) {
      done = true;
      try {
        out.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        // already cancelled by the client
      }
    }
  }

  private synchronized boolean done() {
    return done;
  }

  /** Frees what the stream holds, once. */
  private void end() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    budget.forget(retry);
    releaseHeld();
    onEnd.accept(this);
  }
}
