package io.minilb.resolver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannelBuilder;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.store.SnapshotFileTest;
import io.minilb.resolver.store.Store;
import io.minilb.snapshot.Snapshot;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ControllerStream} over real gRPC against a fake controller that sends whatever bytes a
 * test gives it as {@code WatchResponse} messages.
 */
class ControllerStreamTest {

  private FakeController controller;
  private ScheduledExecutorService scheduler;
  private ControllerStream stream;
  private final java.util.concurrent.atomic.AtomicLong clock =
      new java.util.concurrent.atomic.AtomicLong(1_000);
  private final Store store =
      new Store(new io.minilb.resolver.store.Freshness(java.time.Duration.ofMillis(1), clock::get));
  private final Snapshot good = SnapshotFileTest.snapshot(7);

  @BeforeEach
  void startFakeController() throws IOException {
    controller = new FakeController();
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.close();
    }
    controller.close();
    scheduler.shutdownNow();
  }

  @Test
  void aSnapshotWithoutAVersion_isRejected_andTheLastGoodDataKeepsServing() throws Exception {
    syncedWithGood();

    // An empty snapshot field (read in wire form), and one split in two empty parts (parsed whole).
    for (String bad : List.of("0a00", "0a000a00")) {
      controller.send(HexFormat.of().parseHex(bad));

      WatchRequest after = next();
      assertThat(after.hasAck()).as("acknowledged %s: %s", bad, after).isFalse();
      assertThat(after.getSubscribe().getHave()).isEqualTo(Messages.toProto(good.version()));
      assertThat(store.version()).contains(good.version());
      assertThat(store.index().snapshot()).isEqualTo(good);
      clock.addAndGet(10);
      assertThat(store.freshness().expired()).as("ageing toward --max-stale").isTrue();
    }
  }

  @Test
  void aResponseTooLargeToParse_isRefused_andAFullSnapshotIsAskedFor() throws Exception {
    syncedWithGood();

    controller.send(IncomingTest.removals(Messages.MAX_DELTA_BYTES + 1));

    WatchRequest after = next();
    assertThat(after.hasSubscribe()).as("subscribed again, not acknowledged: %s", after).isTrue();
    assertThat(after.getSubscribe().hasHave()).as("asks for a full snapshot").isFalse();
    assertThat(store.index().snapshot()).isEqualTo(good);
    Snapshot newer = SnapshotFileTest.snapshot(8);
    controller.send(
        WatchResponse.newBuilder().setSnapshot(Messages.toProto(newer)).build().toByteArray());
    assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(newer.version()));
    assertThat(store.index().snapshot()).isEqualTo(newer);
  }

  @Test
  void anUnreadResponseAfterAskingForAFullSnapshot_endsTheStreamAtOnce_andSubscribesLater()
      throws Exception {
    syncedWithGood();
    controller.send(IncomingTest.removals(Messages.MAX_DELTA_BYTES + 1));
    assertThat(next().getSubscribe().hasHave()).isFalse();

    // Unread again: the stream ends now, so what the controller sends after it is never read.
    controller.send(IncomingTest.removals(Messages.MAX_DELTA_BYTES + 1));
    controller.send(
        WatchResponse.newBuilder()
            .setSnapshot(Messages.toProto(SnapshotFileTest.snapshot(8)))
            .build()
            .toByteArray());

    WatchRequest after = next();
    assertThat(after.hasSubscribe()).as("not an ack: %s", after).isTrue();
    assertThat(after.getSubscribe().hasHave()).isFalse();
    assertThat(store.index().snapshot()).isEqualTo(good);
  }

  @Test
  void anEmptyDeltaFromTheHeldVersionToItself_confirmsTheData_withoutApplyingAnything()
      throws Exception {
    syncedWithGood();
    var held = store.index();
    store.freshness().disconnected(); // as after a dropped stream
    var confirm =
        new io.minilb.snapshot.Delta(
            good.version(), good.version(), good.zones(), List.of(), List.of());

    controller.send(
        WatchResponse.newBuilder().setDelta(Messages.toProto(confirm)).build().toByteArray());

    assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(good.version()));
    assertThat(store.index()).as("nothing applied").isSameAs(held);
    assertThat(store.freshness().ageMillis()).isZero();
  }

  /** Starts the stream and has it hold {@link #good}, acknowledged. */
  private void syncedWithGood() throws InterruptedException {
    stream =
        new ControllerStream(
            List.of(controller.target()),
            t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build(),
            store,
            "node-1",
            scheduler);
    stream.start();
    assertThat(next().hasSubscribe()).isTrue();
    controller.send(
        WatchResponse.newBuilder().setSnapshot(Messages.toProto(good)).build().toByteArray());
    assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(good.version()));
  }

  private WatchRequest next() throws InterruptedException {
    // A rejected snapshot is followed by a new Subscribe after the stream's longest backoff.
    return controller.next(ControllerStream.MAX_BACKOFF.plusSeconds(20));
  }
}
