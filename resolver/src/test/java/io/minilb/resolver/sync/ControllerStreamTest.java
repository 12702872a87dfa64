package io.minilb.resolver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.store.SnapshotFileTest;
import io.minilb.resolver.store.Store;
import io.minilb.snapshot.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ControllerStream} over real gRPC against a fake controller that sends whatever bytes a
 * test gives it as {@code WatchResponse} messages.
 */
class ControllerStreamTest {

  private final BlockingQueue<WatchRequest> received = new LinkedBlockingQueue<>();
  private final AtomicReference<StreamObserver<byte[]>> responses = new AtomicReference<>();
  private Server server;
  private ScheduledExecutorService scheduler;
  private ControllerStream stream;

  @BeforeEach
  void startFakeController() throws IOException {
    MethodDescriptor<WatchRequest, byte[]> watch =
        RecordStreamGrpc.getWatchMethod().toBuilder(
                RecordStreamGrpc.getWatchMethod().getRequestMarshaller(), new Raw())
            .build();
    var service =
        ServerServiceDefinition.builder(RecordStreamGrpc.SERVICE_NAME)
            .addMethod(
                watch,
                ServerCalls.asyncBidiStreamingCall(
                    out -> {
                      responses.set(out);
                      return new StreamObserver<WatchRequest>() {
                        @Override
                        public void onNext(WatchRequest request) {
                          received.add(request);
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {
                          out.onCompleted();
                        }
                      };
                    }))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(service)
            .build()
            .start();
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.close();
    }
    server.shutdownNow();
    scheduler.shutdownNow();
  }

  @Test
  void aSnapshotWithoutAVersion_isRejected_andTheLastGoodDataKeepsServing() throws Exception {
    var store = new Store();
    Snapshot good = SnapshotFileTest.snapshot(7);
    stream =
        new ControllerStream(
            List.of("127.0.0.1:" + server.getPort()),
            t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build(),
            store,
            "node-1",
            scheduler);
    stream.start();
    assertThat(next().hasSubscribe()).isTrue();
    send(WatchResponse.newBuilder().setSnapshot(Messages.toProto(good)).build().toByteArray());
    assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(good.version()));

    // An empty snapshot field (read in wire form), and one split in two empty parts (parsed whole).
    for (String bad : List.of("0a00", "0a000a00")) {
      send(HexFormat.of().parseHex(bad));

      WatchRequest after = next();
      assertThat(after.hasAck()).as("acknowledged %s: %s", bad, after).isFalse();
      assertThat(after.getSubscribe().getHave()).isEqualTo(Messages.toProto(good.version()));
      assertThat(store.version()).contains(good.version());
      assertThat(store.index().snapshot()).isEqualTo(good);
    }
  }

  @Test
  void aResponseTooLargeToParse_isRefused_andAFullSnapshotIsAskedFor() throws Exception {
    var store = new Store();
    Snapshot good = SnapshotFileTest.snapshot(7);
    stream =
        new ControllerStream(
            List.of("127.0.0.1:" + server.getPort()),
            t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build(),
            store,
            "node-1",
            scheduler);
    stream.start();
    assertThat(next().hasSubscribe()).isTrue();
    send(WatchResponse.newBuilder().setSnapshot(Messages.toProto(good)).build().toByteArray());
    assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(good.version()));

    send(IncomingTest.removals(Messages.MAX_DELTA_BYTES + 1));

    WatchRequest after = next();
    assertThat(after.hasSubscribe()).as("subscribed again, not acknowledged: %s", after).isTrue();
    assertThat(after.getSubscribe().hasHave()).as("asks for a full snapshot").isFalse();
    assertThat(store.index().snapshot()).isEqualTo(good);
    Snapshot newer = SnapshotFileTest.snapshot(8);
    send(WatchResponse.newBuilder().setSnapshot(Messages.toProto(newer)).build().toByteArray());
    assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(newer.version()));
    assertThat(store.index().snapshot()).isEqualTo(newer);
  }

  private WatchRequest next() throws InterruptedException {
    // A rejected snapshot is followed by a new Subscribe after the stream's longest backoff.
    WatchRequest r = received.poll(ControllerStream.MAX_BACKOFF.toSeconds() + 20, TimeUnit.SECONDS);
    assertThat(r).as("a request from the resolver").isNotNull();
    return r;
  }

  private void send(byte[] response) {
    responses.get().onNext(response);
  }

  /** Responses as the raw bytes a test hands over. */
  private static final class Raw implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
