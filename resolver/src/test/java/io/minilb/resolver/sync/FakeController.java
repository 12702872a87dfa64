package io.minilb.resolver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A record stream on a loopback port that hands the test each request a resolver sends and sends
 * whatever bytes the test gives it as {@code WatchResponse} messages, on the newest stream.
 */
public final class FakeController implements AutoCloseable {

  private final BlockingQueue<WatchRequest> received = new LinkedBlockingQueue<>();
  private final AtomicReference<StreamObserver<byte[]>> responses = new AtomicReference<>();
  private final Server server;

  public FakeController() throws IOException {
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
  }

  /** {@code 127.0.0.1:<port>}, for {@code --controller}. */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next request a resolver sent, waiting at most {@code wait}; fails the test if none. */
  public WatchRequest next(Duration wait) throws InterruptedException {
    WatchRequest r = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(r).as("a request from the resolver").isNotNull();
    return r;
  }

  /** Sends {@code response} on the newest stream. */
  public void send(byte[] response) {
    responses.get().onNext(response);
  }

  @Override
  public void close() {
    server.shutdownNow();
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
