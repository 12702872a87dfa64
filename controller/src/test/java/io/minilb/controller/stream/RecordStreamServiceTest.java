package io.minilb.controller.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.Ack;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.Subscribe;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class RecordStreamServiceTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AtomicReference<SnapshotPublisher> leader = new AtomicReference<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final RecordStreamService service =
      new RecordStreamService(leader::get, StreamLimits.of(1000, 1000), timer);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    lead(11);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void firstConnect_getsAFullSnapshot_thenDeltas() throws Exception {
    publish("10.0.0.1");
    var client = new Client();

    client.subscribe(null);
    WatchResponse first = client.next();
    client.ack(first);
    publish("10.0.0.2");
    WatchResponse second = client.next();

    assertThat(first.hasSnapshot()).isTrue();
    assertThat(second.hasDelta()).isTrue();
    Snapshot held =
        Messages.fromProto(first.getSnapshot()).apply(Messages.fromProto(second.getDelta()));
    assertThat(held).isEqualTo(leader.get().current());
  }

  @Test
  void reconnectWithARetainedVersionOfTheSameEpoch_getsOnlyADelta() throws Exception {
    publish("10.0.0.1");
    Version held = leader.get().current().version();
    publish("10.0.0.2");

    var client = new Client();
    client.subscribe(held);
    WatchResponse response = client.next();

    assertThat(response.hasDelta()).isTrue();
    assertThat(Messages.fromProto(response.getDelta().getBase())).isEqualTo(held);
  }

  @Test
  void aChangeWhoseDeltaIsOverTheLimit_goesOutAsAFullSnapshot_andSmallerOnesStayDeltas()
      throws Exception {
    publish("10.0.0.1");
    var client = new Client();
    client.subscribe(null);
    client.ack(client.next());

    // About 40 bytes per changed RRset on the wire: 40,000 of them are well over the limit.
    List<RRSet> many = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      many.add(
          new RRSet(
              "s" + i + ".default.minilb.",
              Type.A,
              5,
              List.of(Rdata.of(new byte[] {10, 1, (byte) (i >> 8), (byte) i}))));
    }
    leader.get().publish(List.of("minilb."), many);
    Snapshot changed = leader.get().current();
    WatchResponse big = client.next();
    client.ack(big);
    many.set(
        0, new RRSet("s0.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {1, 2, 3, 4}))));
    leader.get().publish(List.of("minilb."), many);
    WatchResponse small = client.next();

    assertThat(big.hasSnapshot()).as("the 40,000-RRset change").isTrue();
    assertThat(big.getSerializedSize()).isGreaterThan(Messages.MAX_DELTA_BYTES);
    assertThat(Messages.fromProto(big.getSnapshot())).isEqualTo(changed);
    assertThat(small.hasDelta()).as("the next, small change").isTrue();
  }

  @Test
  void reconnectHoldingTheNewestVersion_getsOneEmptyDeltaConfirmingIt_thenTheNextChange()
      throws Exception {
    publish("10.0.0.1");
    Version newest = leader.get().current().version();
    var client = new Client();

    client.subscribe(newest);
    WatchResponse confirm = client.next();
    client.ack(confirm);

    assertThat(confirm.hasDelta()).isTrue();
    var d = Messages.fromProto(confirm.getDelta());
    assertThat(d.base()).isEqualTo(newest);
    assertThat(d.version()).isEqualTo(newest);
    assertThat(d.isEmpty()).isTrue();
    Thread.sleep(200);
    assertThat(client.poll()).as("once, not again after the ack").isNull();
    publish("10.0.0.2");
    assertThat(Messages.fromProto(client.next().getDelta()).isEmpty()).isFalse();
  }

  @Test
  void unknownBase_orAnotherEpoch_getsAFullSnapshot() throws Exception {
    publish("10.0.0.1");

    var stranger = new Client();
    stranger.subscribe(new Version(99, 1));
    var behind = new Client();
    behind.subscribe(new Version(11, 12345));

    assertThat(stranger.next().hasSnapshot()).isTrue();
    assertThat(behind.next().hasSnapshot()).isTrue();
  }

  @Test
  void aResolverThatStopsAcking_getsOneMessage_andThenOneCoalescedDelta() throws Exception {
    publish("10.0.0.1");
    var slow = new Client();
    var healthy = new Client();
    slow.subscribe(null);
    healthy.subscribe(null);
    WatchResponse first = slow.next();
    healthy.ack(healthy.next());

    for (int i = 2; i <= 200; i++) {
      publish("10.0.1." + (i % 250));
      healthy.ack(healthy.next());
    }

    assertThat(slow.poll()).as("nothing queued behind the unacknowledged message").isNull();
    slow.ack(first);
    WatchResponse catchUp = slow.next();
    assertThat(Messages.fromProto(catchUp.getDelta().getBase())).isEqualTo(new Version(11, 1));
    assertThat(Messages.fromProto(catchUp.getDelta().getVersion()))
        .isEqualTo(leader.get().current().version());
    assertThat(slow.poll()).isNull();
  }

  @Test
  void aFollower_refusesStreamsWithUnavailable() throws Exception {
    leader.set(null);
    var client = new Client();

    client.subscribe(null);

    assertThat(client.error.poll(5, TimeUnit.SECONDS))
        .satisfies(
            t -> assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void aSecondSubscribe_endsTheStreamWithFailedPrecondition_beforeAnotherMessageIsSent()
      throws Exception {
    publish("10.0.0.1");
    var client = new Client();

    for (int i = 0; i < 200; i++) {
      client.subscribe(null);
    }

    assertThat(client.error.poll(5, TimeUnit.SECONDS))
        .satisfies(
            t ->
                assertThat(Status.fromThrowable(t).getCode())
                    .isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(client.received).as("one message for 200 Subscribes").hasSize(1);
    assertThat(service.connected()).isZero();
    assertThat(service.rejections()).containsEntry("resubscribe", 1L);
  }

  @Test
  void aFullSnapshot_isEncodedOncePerVersion_howeverManyResolversAskForIt() throws Exception {
    publish("10.0.0.1");
    var clients = new ArrayList<Client>();
    for (int i = 0; i < 20; i++) {
      clients.add(new Client());
    }

    for (Client c : clients) {
      c.subscribe(null);
    }
    for (Client c : clients) {
      assertThat(c.next().hasSnapshot()).isTrue();
    }
    assertThat(service.fullEncodings()).isEqualTo(1);

    publish("10.0.0.2");
    var late = new Client();
    late.subscribe(null);
    assertThat(late.next().hasSnapshot()).isTrue();
    var another = new Client();
    another.subscribe(new Version(99, 1));
    assertThat(another.next().hasSnapshot()).isTrue();
    assertThat(service.fullEncodings()).as("one more for the new version").isEqualTo(2);
  }

  @Test
  void badFields_endTheStreamWithInvalidArgument_neverUnknown() throws Exception {
    publish("10.0.0.1");
    var requests =
        List.of(
            subscribe("x".repeat(60_000), null),
            subscribe("node-1\n2026-01-01T00:00:00.000Z INFO  Controller - forged", null),
            subscribe("", null),
            subscribe("node-1", io.minilb.proto.v1.Version.newBuilder().setSequence(-1).build()),
            WatchRequest.newBuilder()
                .setAck(
                    Ack.newBuilder()
                        .setVersion(io.minilb.proto.v1.Version.newBuilder().setSequence(-1)))
                .build(),
            WatchRequest.newBuilder().setAck(Ack.getDefaultInstance()).build(),
            WatchRequest.getDefaultInstance());

    for (WatchRequest r : requests) {
      var client = new Client();
      client.requests.onNext(r);
      assertThat(client.error.poll(5, TimeUnit.SECONDS))
          .as("%.80s", r)
          .satisfies(
              t ->
                  assertThat(Status.fromThrowable(t).getCode())
                      .isEqualTo(Status.Code.INVALID_ARGUMENT));
      assertThat(client.received).isEmpty();
    }
    assertThat(service.connected()).isZero();
  }

  private static WatchRequest subscribe(String node, io.minilb.proto.v1.Version have) {
    var s = Subscribe.newBuilder().setNode(node);
    if (have != null) {
      s.setHave(have);
    }
    return WatchRequest.newBuilder().setSubscribe(s).build();
  }

  private void lead(long epoch) {
    var p = new SnapshotPublisher(epoch, new RecordBuilder(ZoneConfig.defaults())::soa, clock::get);
    p.addListener(service::onPublish);
    leader.set(p);
  }

  private void publish(String ip) {
    byte[] b = new byte[4];
    String[] parts = ip.split("\\.");
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(parts[i]);
    }
    leader
        .get()
        .publish(
            List.of("minilb."),
            List.of(new RRSet("web.default.minilb.", Type.A, 5, List.of(Rdata.of(b)))));
  }

  /** A recording resolver-side stream. */
  private final class Client implements StreamObserver<WatchResponse> {
    final BlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> error = new LinkedBlockingQueue<>();
    final StreamObserver<WatchRequest> requests = RecordStreamGrpc.newStub(channel).watch(this);

    void subscribe(Version have) {
      var s = Subscribe.newBuilder().setNode("test");
      if (have != null) {
        s.setHave(Messages.toProto(have));
      }
      requests.onNext(WatchRequest.newBuilder().setSubscribe(s).build());
    }

    void ack(WatchResponse r) {
      var v = r.hasSnapshot() ? r.getSnapshot().getVersion() : r.getDelta().getVersion();
      requests.onNext(WatchRequest.newBuilder().setAck(Ack.newBuilder().setVersion(v)).build());
    }

    WatchResponse next() throws InterruptedException {
      WatchResponse r = received.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a response within 5 s").isNotNull();
      return r;
    }

    WatchResponse poll() {
      return received.poll();
    }

    @Override
    public void onNext(WatchResponse value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.add(t);
    }

    @Override
    public void onCompleted() {}
  }
}
