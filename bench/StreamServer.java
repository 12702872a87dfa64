// A stand-in controller for the resolver's full-sync benchmark: serves one snapshot file over the
// real minilb.v1 RecordStream (plaintext gRPC on Netty, as the controller does without TLS) to
// every subscriber, and prints one line per subscriber when it acknowledges the snapshot:
//   synced <node> <ms from Subscribe received to Ack received> <rrsets>
// The snapshot message is built and encoded once, before the port is announced, and the same bytes
// go to every subscriber, as the controller sends them (its EncodedResponse, and its server's
// 1 MiB flow-control window): the figure is the resolver's side of a full sync (transfer, decode,
// index build) and not this program's serializing. A single-file program:
//   java -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/StreamServer.java SNAPSHOT_FILE PORT_FILE
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.store.SnapshotFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

public class StreamServer {
  public static void main(String[] args) throws Exception {
    var loaded = new SnapshotFile(Path.of(args[0])).load().orElseThrow();
    var snapshot = loaded.index().snapshot();
    rrsets = snapshot.rrsets().size();
    full =
        WatchResponse.newBuilder().setSnapshot(Messages.toProto(snapshot)).build().toByteArray();
    loaded = null;
    snapshot = null;
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            // the controller's keepalive policy: without it the resolver's pings every 10 s end
            // the stream (too_many_pings) and every reconnect is a new full sync
            .permitKeepAliveTime(5, java.util.concurrent.TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .flowControlWindow(1 << 20)
            .addService(
                ServerServiceDefinition.builder(RecordStreamGrpc.SERVICE_NAME)
                    .addMethod(WATCH, ServerCalls.asyncBidiStreamingCall(StreamServer::watch))
                    .build())
            .build()
            .start();
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getPort()));
    Files.move(tmp, Path.of(args[1]));
    server.awaitTermination();
  }

  static byte[] full;
  static int rrsets;

  /** The Watch method with responses sent as encoded bytes. */
  static final MethodDescriptor<WatchRequest, byte[]> WATCH =
      RecordStreamGrpc.getWatchMethod().toBuilder(
              ProtoUtils.marshaller(WatchRequest.getDefaultInstance()),
              new MethodDescriptor.Marshaller<byte[]>() {
                @Override
                public InputStream stream(byte[] value) {
                  return new Bytes(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                  throw new UnsupportedOperationException();
                }
              })
          .build();

  /** Shared bytes that gRPC drains in one write, as the controller's EncodedResponse. */
  static final class Bytes extends ByteArrayInputStream implements KnownLength, Drainable {
    Bytes(byte[] b) {
      super(b);
    }

    @Override
    public int drainTo(OutputStream target) throws java.io.IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }

  static StreamObserver<WatchRequest> watch(StreamObserver<byte[]> out) {
    return new StreamObserver<>() {
      long subscribed;
      String node;

      @Override
      public void onNext(WatchRequest r) {
        if (r.hasSubscribe()) {
          subscribed = System.nanoTime();
          node = r.getSubscribe().getNode();
          out.onNext(full);
        } else if (r.hasAck() && subscribed != 0) {
          System.out.printf(
              "synced %s %.1f %d%n",
              node, (System.nanoTime() - subscribed) / 1e6, rrsets);
          System.out.flush();
          subscribed = 0;
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }
}
