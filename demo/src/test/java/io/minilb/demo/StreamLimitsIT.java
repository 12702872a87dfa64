package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.Subscribe;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A misbehaving stream client gets a clear gRPC status; the controller keeps serving others. */
class StreamLimitsIT {

  @Test
  void anOversizedRequest_isResourceExhausted_andAnEmptyOne_invalidArgument() throws Exception {
    try (var p = new Pipeline()) {
      p.startController();
      await().atMost(Duration.ofSeconds(15)).until(p.controller::leading);
      // A hostile client, not a resolver: a bare plaintext channel.
      var channel =
          io.grpc.ManagedChannelBuilder.forTarget("127.0.0.1:" + p.grpcPort).usePlaintext().build();
      try {
        var huge =
            WatchRequest.newBuilder()
                .setSubscribe(Subscribe.newBuilder().setNode("x".repeat(200_000)))
                .build();
        assertThat(status(channel, huge)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status(channel, WatchRequest.getDefaultInstance()))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);

        p.startResolver();
        await("a well-behaved resolver is still served")
            .atMost(Duration.ofSeconds(15))
            .until(() -> p.resolverSynced());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static Status.Code status(io.grpc.ManagedChannel channel, WatchRequest request)
      throws Exception {
    var result = new CompletableFuture<Status.Code>();
    var requests =
        RecordStreamGrpc.newStub(channel)
            .watch(
                new StreamObserver<WatchResponse>() {
                  @Override
                  public void onNext(WatchResponse value) {}

                  @Override
                  public void onError(Throwable t) {
                    result.complete(Status.fromThrowable(t).getCode());
                  }

                  @Override
                  public void onCompleted() {
                    result.complete(Status.Code.OK);
                  }
                });
    requests.onNext(request);
    return result.get(10, TimeUnit.SECONDS);
  }
}
