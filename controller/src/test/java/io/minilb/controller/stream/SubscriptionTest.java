package io.minilb.controller.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class SubscriptionTest {

  @Test
  void aMessageWithNoDirectMemoryToCopyItInto_endsTheStream_andGivesItsSeatAndBudgetBack() {
    var publisher =
        new SnapshotPublisher(11, new RecordBuilder(ZoneConfig.defaults())::soa, () -> 1_000_000L);
    publisher.publish(
        List.of("minilb."),
        List.of(
            new RRSet(
                "web.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0, 1})))));
    var budget = new SendBudget(1 << 20);
    var out = new NoDirectMemory();
    var ended = new AtomicInteger();
    var timer = Executors.newSingleThreadScheduledExecutor();
    try {
      var s =
          new Subscription(
              publisher,
              out,
              new Encodings(),
              budget,
              timer,
              Duration.ofSeconds(30),
              x -> ended.incrementAndGet(),
              why -> {});

      s.subscribe(null);

      assertThat(ended).as("the stream's end ran: its seat is free").hasValue(1);
      assertThat(budget.reserved()).isZero();
      assertThat(out.errors).as("gRPC closed the call itself").isEmpty();
    } finally {
      timer.shutdownNow();
    }
  }

  /**
   * A call whose every message fails as gRPC's copy into a full direct memory does: gRPC closes the
   * call (CANCELLED) and rethrows, and the call takes nothing more.
   */
  private static final class NoDirectMemory extends ServerCallStreamObserver<EncodedResponse> {
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void onNext(EncodedResponse value) {
      throw new OutOfMemoryError("Cannot reserve 1027551 bytes of direct buffer memory");
    }

    @Override
    public void onError(Throwable t) {
      errors.add(t);
      throw new IllegalStateException("call already closed");
    }

    @Override
    public void onCompleted() {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}
  }
}
