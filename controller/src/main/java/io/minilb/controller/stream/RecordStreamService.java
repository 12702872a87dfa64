package io.minilb.controller.stream;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.snapshot.Version;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the record stream. Only while {@code publisher} supplies a value (this process leads) are
 * streams accepted; otherwise they fail fast with UNAVAILABLE so resolvers try the next controller.
 */
public final class RecordStreamService extends RecordStreamGrpc.RecordStreamImplBase {

  private static final Logger log = LoggerFactory.getLogger(RecordStreamService.class);

  private final Supplier<SnapshotPublisher> publisher;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  public RecordStreamService(Supplier<SnapshotPublisher> publisher) {
    this.publisher = publisher;
  }

  /** Wakes every stream after a publish; cheap when a stream is waiting for an ack. */
  public void onPublish() {
    subscriptions.forEach(Subscription::pump);
  }

  /** Connected resolvers. */
  public int connected() {
    return subscriptions.size();
  }

  /** Ends every stream, e.g. when leadership is lost. */
  public void closeAll(Status status) {
    subscriptions.forEach(s -> s.fail(status));
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
    var call = (ServerCallStreamObserver<WatchResponse>) responses;
    SnapshotPublisher p = publisher.get();
    if (p == null) {
      responses.onError(Status.UNAVAILABLE.withDescription("not the leader").asRuntimeException());
      return new Ignore();
    }
    var sub = new Subscription(p, call);
    subscriptions.add(sub);
    call.setOnCancelHandler(() -> subscriptions.remove(sub));
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest req) {
        switch (req.getKindCase()) {
          case SUBSCRIBE -> {
            var s = req.getSubscribe();
            Version have = s.hasHave() ? Messages.fromProto(s.getHave()) : null;
            log.info(
                "resolver {} subscribed holding {}", s.getNode(), have == null ? "nothing" : have);
            sub.subscribe(have);
          }
          case ACK -> sub.ack(Messages.fromProto(req.getAck().getVersion()));
          default -> sub.fail(Status.INVALID_ARGUMENT.withDescription("empty request"));
        }
      }

      @Override
      public void onError(Throwable t) {
        subscriptions.remove(sub);
      }

      @Override
      public void onCompleted() {
        subscriptions.remove(sub);
        sub.complete();
      }
    };
  }

  private static final class Ignore implements StreamObserver<WatchRequest> {
    @Override
    public void onNext(WatchRequest value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
