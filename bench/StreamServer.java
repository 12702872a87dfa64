// A stand-in controller for the resolver's full-sync benchmark: serves one snapshot file over the
// real minilb.v1 RecordStream (plaintext gRPC on Netty, as the controller does without TLS) to
// every subscriber, and prints one line per subscriber when it acknowledges the snapshot:
//   synced <node> <ms from Subscribe received to Ack received> <rrsets>
// The snapshot message is built once, before the port is announced, so the figure is the
// resolver's side of a full sync (transfer, decode, index build) and not this program's. A
// single-file program:
//   java -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/StreamServer.java SNAPSHOT_FILE PORT_FILE
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.store.SnapshotFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

public class StreamServer {
  public static void main(String[] args) throws Exception {
    var loaded = new SnapshotFile(Path.of(args[0])).load().orElseThrow();
    var snapshot = loaded.index().snapshot();
    int rrsets = snapshot.rrsets().size();
    WatchResponse full = WatchResponse.newBuilder().setSnapshot(Messages.toProto(snapshot)).build();
    loaded = null;
    snapshot = null;
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            // the controller's keepalive policy: without it the resolver's pings every 10 s end
            // the stream (too_many_pings) and every reconnect is a new full sync
            .permitKeepAliveTime(5, java.util.concurrent.TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(
                new RecordStreamGrpc.RecordStreamImplBase() {
                  @Override
                  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
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
                })
            .build()
            .start();
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getPort()));
    Files.move(tmp, Path.of(args[1]));
    server.awaitTermination();
  }
}
