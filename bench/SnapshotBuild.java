// The controller's cost per change, stage by stage, in-process and without an API server: builds
// the views of N Services (one EndpointSlice of 3 ready endpoints and a named port each, in 50
// namespaces, nodes whose pod CIDRs cover every endpoint so PTRs are built too), publishes them,
// then makes C changes that each add one endpoint to a different Service and times, per change,
// the record build, the publish (new Snapshot) and the delta (diff + protobuf encoding, as the
// stream sends it). Times are the thread's CPU time, so a busy machine does not inflate them. A
// single-file program:
//   java -cp 'controller/target/minilb-controller.jar:controller/target/lib/*' \
//     bench/SnapshotBuild.java SERVICES CHANGES
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.proto.Messages;
import io.minilb.snapshot.Snapshot;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

public class SnapshotBuild {
  static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    int services = Integer.parseInt(args[0]);
    int changes = Integer.parseInt(args[1]);
    var svcs = new ArrayList<ServiceView>();
    var slices = new ArrayList<SliceView>();
    var nodes = new ArrayList<NodeView>();
    for (int n = 0; n <= services / 256; n++) {
      nodes.add(new NodeView("node" + n, List.of("10." + n + ".0.0/16"), List.of("192.168.0." + n)));
    }
    var port = new ServiceView.PortView("http", "TCP", 8080);
    for (int i = 0; i < services; i++) {
      String ns = "ns" + (i % 50);
      svcs.add(
          new ServiceView(ns, "svc" + i, "LoadBalancer", "minilb", false,
              Instant.ofEpochSecond(1_700_000_000L + i), Map.of(), List.of(port), List.of(), List.of()));
      slices.add(slice(i, 3));
    }
    var builder = new RecordBuilder(ZoneConfig.defaults());
    var publisher = new SnapshotPublisher(1, builder::soa, () -> 1_700_000_000L);
    long t0 = CPU.getCurrentThreadCpuTime();
    var first = builder.build(new ClusterState(svcs, slices, List.of(), List.of(), List.of(), nodes));
    long firstBuild = CPU.getCurrentThreadCpuTime() - t0;
    publisher.publish(first.zones(), first.records());
    System.out.printf("%d Services, %d RRsets: first build %.1f ms%n", services,
        publisher.current().rrsets().size(), firstBuild / 1e6);
    long[] build = new long[changes], publish = new long[changes], delta = new long[changes];
    int bytes = 0;
    for (int k = 0; k < changes; k++) {
      int i = (k * 7919) % services;
      slices.set(i, slice(i, 4 + k / services));
      var state = new ClusterState(svcs, slices, List.of(), List.of(), List.of(), nodes);
      Snapshot before = publisher.current();
      long a = CPU.getCurrentThreadCpuTime();
      var b = builder.build(state);
      long c = CPU.getCurrentThreadCpuTime();
      publisher.publish(b.zones(), b.records());
      long d = CPU.getCurrentThreadCpuTime();
      bytes = Messages.toProto(delta(publisher, before)).getSerializedSize();
      long e = CPU.getCurrentThreadCpuTime();
      build[k] = c - a;
      publish[k] = d - c;
      delta[k] = e - d;
    }
    System.out.printf("%d changes (CPU ms p50/p99): build %s, publish %s, delta %s (%d bytes)%n",
        changes, pct(build), pct(publish), pct(delta), bytes);
    // what the controller holds between changes: the views, the builder (and its cache), the
    // publisher's snapshots
    System.gc();
    long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    System.out.printf("heap in use after GC, views + builder + snapshots held: %.1f MiB%n",
        heap / 1048576.0);
    java.lang.ref.Reference.reachabilityFence(builder);
    java.lang.ref.Reference.reachabilityFence(svcs);
  }

  /** The delta as the stream gets it: from the publisher when it keeps one, else by diffing. */
  static io.minilb.snapshot.Delta delta(SnapshotPublisher publisher, Snapshot before) {
    try {
      var kept = SnapshotPublisher.class.getMethod("diff", Snapshot.class, Snapshot.class);
      return (io.minilb.snapshot.Delta) kept.invoke(publisher, before, publisher.current());
    } catch (NoSuchMethodException e) {
      return publisher.current().diff(before);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static SliceView slice(int i, int endpoints) {
    String net = "10." + (i / 256) % 256 + "." + (i % 256) + ".";
    var eps = new ArrayList<SliceView.EndpointView>();
    for (int j = 1; j <= endpoints; j++) {
      eps.add(new SliceView.EndpointView(List.of(net + j), true, false, null));
    }
    return new SliceView("ns" + (i % 50), "svc" + i + "-x", "svc" + i, "IPv4", eps,
        List.of(new ServiceView.PortView("http", "TCP", 8080)));
  }

  static String pct(long[] ns) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return String.format("%.2f/%.2f", s[s.length / 2] / 1e6, s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6);
  }
}
