package io.minilb.controller.stream;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.log.Untrusted;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the record stream. Only while {@code publisher} supplies a value (this process leads) are
 * streams accepted; otherwise they fail fast with UNAVAILABLE so resolvers try the next controller.
 *
 * <p>Nothing a client sends can cost more than {@link StreamLimits} allow: streams beyond the caps
 * are refused with RESOURCE_EXHAUSTED, invalid requests end their stream with INVALID_ARGUMENT, and
 * full snapshots are encoded once per version and shared. Client-supplied text is escaped before it
 * is logged.
 */
public final class RecordStreamService implements BindableService {

  private static final Logger log = LoggerFactory.getLogger(RecordStreamService.class);
  private static final Context.Key<SocketAddress> PEER = Context.key("minilb-peer");

  /** Watch with responses sent as pre-encoded bytes; the same wire format as the generated stub. */
  static final MethodDescriptor<WatchRequest, EncodedResponse> WATCH =
      RecordStreamGrpc.getWatchMethod().toBuilder(
              ProtoUtils.marshaller(WatchRequest.getDefaultInstance()), EncodedResponse.MARSHALLER)
          .build();

  private final Supplier<SnapshotPublisher> publisher;
  private final StreamLimits limits;
  private final ScheduledExecutorService timer;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Object, AtomicInteger> perConnection = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
  private final Encodings encodings;
  private final SendBudget budget;

  /**
   * @param timer runs the drain deadlines of slow readers
   */
  public RecordStreamService(
      Supplier<SnapshotPublisher> publisher, StreamLimits limits, ScheduledExecutorService timer) {
    this.publisher = publisher;
    this.encodings =
        new Encodings(
            (base, latest) -> {
              SnapshotPublisher p = publisher.get();
              return p == null ? latest.diff(base) : p.diff(base, latest);
            });
    this.limits = limits;
    this.timer = timer;
    this.budget = new SendBudget(limits.sendBudgetBytes());
  }

  /**
   * The size of the delta message from {@code base} to {@code latest} of {@code publisher}, encoded
   * as a stream encodes it; nothing is sent, and this service's encodings are not touched. For
   * warming that path up off to the side.
   */
  public static int encodedDeltaSize(SnapshotPublisher publisher, Snapshot base, Snapshot latest) {
    return new Encodings(publisher::diff).delta(base, latest).size();
  }

  /** Wakes every stream after a publish; cheap when a stream is waiting for an ack. */
  public void onPublish() {
    subscriptions.forEach(Subscription::pump);
  }

  /** Connected resolvers. */
  public int connected() {
    return subscriptions.size();
  }

  /** How many times a full snapshot was encoded (once per version, however many resolvers). */
  public long fullEncodings() {
    return encodings.fullEncodings();
  }

  /** Streams refused or ended for misbehaving, by reason. */
  public Map<String, Long> rejections() {
    var out = new java.util.TreeMap<String, Long>();
    rejected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Bytes of responses handed to the transport and not yet written out, over all streams. */
  public long pendingSendBytes() {
    return budget.reserved();
  }

  /** Ends every stream, e.g. when leadership is lost. */
  public void closeAll(Status status) {
    subscriptions.forEach(s -> s.fail(status));
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServerCallHandler<WatchRequest, EncodedResponse> watch =
        ServerCalls.asyncBidiStreamingCall(this::watch);
    return ServerServiceDefinition.builder(RecordStreamGrpc.SERVICE_NAME)
        .addMethod(
            WATCH,
            (call, headers) ->
                Contexts.interceptCall(
                    Context.current()
                        .withValue(PEER, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                    call,
                    headers,
                    watch))
        .build();
  }

  StreamObserver<WatchRequest> watch(StreamObserver<EncodedResponse> responses) {
    var call = (ServerCallStreamObserver<EncodedResponse>) responses;
    SocketAddress peer = PEER.get();
    SnapshotPublisher p = publisher.get();
    if (p == null) {
      responses.onError(Status.UNAVAILABLE.withDescription("not the leader").asRuntimeException());
      return new Ignore();
    }
    Object connection = peer == null ? "unknown" : peer;
    String refusal = takeSeat(connection);
    if (refusal != null) {
      reject("over_cap", peer, refusal);
      responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(refusal).asRuntimeException());
      return new Ignore();
    }
    var sub =
        new Subscription(
            p,
            call,
            encodings,
            budget,
            timer,
            limits.drainTimeout(),
            ended -> {
              subscriptions.remove(ended);
              releaseSeat(connection);
            },
            why -> reject("slow_reader", peer, why));
    subscriptions.add(sub);
    call.setOnCancelHandler(sub::cancelled);
    call.setOnReadyHandler(sub::onReady);
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest req) {
        try {
          handle(sub, peer, req);
        } catch (RuntimeException e) {
          // Never let a request surface as UNKNOWN: every field was checked, so this is a bug.
          log.warn("stream from {} failed on a request", peer, e);
          sub.fail(Status.INTERNAL.withDescription("internal error"));
        }
      }

      @Override
      public void onError(Throwable t) {
        sub.cancelled();
      }

      @Override
      public void onCompleted() {
        sub.complete();
      }
    };
  }

  private void handle(Subscription sub, SocketAddress peer, WatchRequest req) {
    String problem = WatchRequests.problem(req);
    if (problem != null) {
      reject("invalid", peer, problem);
      sub.fail(Status.INVALID_ARGUMENT.withDescription(problem));
      return;
    }
    switch (req.getKindCase()) {
      case SUBSCRIBE -> {
        var s = req.getSubscribe();
        Version have = s.hasHave() ? Messages.fromProto(s.getHave()) : null;
        if (sub.subscribe(have)) {
          log.info(
              "resolver {} at {} subscribed holding {}",
              Untrusted.text(s.getNode()),
              peer,
              have == null ? "nothing" : have);
        } else {
          reject("resubscribe", peer, "a second Subscribe on one stream");
        }
      }
      case ACK -> sub.ack(Messages.fromProto(req.getAck().getVersion()));
      default -> throw new IllegalStateException("checked above: " + req.getKindCase());
    }
  }

  /** Null when a stream may open on {@code connection}, else why not. */
  private String takeSeat(Object connection) {
    if (open.incrementAndGet() > limits.maxSubscribers()) {
      open.decrementAndGet();
      return "too many record streams (at most " + limits.maxSubscribers() + ")";
    }
    AtomicInteger n = perConnection.computeIfAbsent(connection, c -> new AtomicInteger());
    if (n.incrementAndGet() > limits.maxStreamsPerConnection()) {
      releaseSeat(connection);
      return "too many record streams on one connection (at most "
          + limits.maxStreamsPerConnection()
          + ")";
    }
    return null;
  }

  private void releaseSeat(Object connection) {
    open.decrementAndGet();
    perConnection.computeIfPresent(connection, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Counts and logs a refused stream; {@code why} is built here, any client text in it escaped. */
  private void reject(String reason, SocketAddress peer, String why) {
    rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    log.warn("refused a record stream from {}: {}", peer, why);
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
