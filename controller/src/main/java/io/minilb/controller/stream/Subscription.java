package io.minilb.controller.stream;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;

/**
 * One resolver's stream. At most one message is in flight: the next is sent only after the resolver
 * acknowledges the previous one, and it is the diff from what the resolver acknowledged to the
 * newest snapshot. Bursts therefore coalesce, and a resolver that stops reading pins at most two
 * snapshots, never a queue.
 *
 * <p>Thread-safe: every method is synchronized, which also serialises calls into gRPC.
 */
final class Subscription {

  private final SnapshotPublisher publisher;
  private final ServerCallStreamObserver<WatchResponse> out;
  private boolean subscribed;
  private boolean done;
  private Snapshot acked;
  private Snapshot inFlight;

  Subscription(SnapshotPublisher publisher, ServerCallStreamObserver<WatchResponse> out) {
    this.publisher = publisher;
    this.out = out;
  }

  /** (Re)starts from {@code have}: deltas if it is a retained version of this epoch, else full. */
  synchronized void subscribe(Version have) {
    this.subscribed = true;
    this.acked = have == null ? null : publisher.find(have);
    this.inFlight = null;
    pump();
  }

  synchronized void ack(Version version) {
    if (inFlight != null && inFlight.version().equals(version)) {
      acked = inFlight;
      inFlight = null;
      pump();
    }
  }

  synchronized void pump() {
    if (done || !subscribed || inFlight != null) {
      return;
    }
    Snapshot latest = publisher.current();
    if (latest == null || (acked != null && acked.version().equals(latest.version()))) {
      return;
    }
    WatchResponse msg =
        acked == null
            ? WatchResponse.newBuilder().setSnapshot(Messages.toProto(latest)).build()
            : WatchResponse.newBuilder().setDelta(Messages.toProto(latest.diff(acked))).build();
    inFlight = latest;
    try {
      out.onNext(msg);
    } catch (RuntimeException e) {
      done = true; // the call was cancelled under us
    }
  }

  synchronized void fail(Status status) {
    if (!done) {
      done = true;
      out.onError(status.asRuntimeException());
    }
  }

  synchronized void complete() {
    if (!done) {
      done = true;
      out.onCompleted();
    }
  }
}
