// The resolver index's cost per change: builds the index of N Services (3 A records each, plus
// one name and SRV per endpoint, as the controller emits them), then applies 200 deltas that each
// change one endpoint of one Service, timing every apply. Also the heap in use after GC with the
// index held. Times are the thread's CPU time, so a busy machine does not inflate them. A
// single-file program:
//   java -Xmx96m -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/IndexDelta.java 10000 50000
import io.minilb.resolver.store.ZoneIndex;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

public class IndexDelta {
  static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      run(Integer.parseInt(arg));
    }
  }

  static void run(int services) throws Exception {
    ArrayList<RRSet> sets = new ArrayList<>();
    var soa = new SOARecord(Name.fromString("minilb."), DClass.IN, 5, Name.fromString("ns.minilb."),
        Name.fromString("hostmaster.minilb."), 1, 60, 30, 3600, 5);
    sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))));
    for (int i = 0; i < services; i++) {
      sets.addAll(service(i, 0));
    }
    var v = new Version(1, 1);
    long t0 = CPU.getCurrentThreadCpuTime();
    ZoneIndex idx = ZoneIndex.of(new Snapshot(v, List.of("minilb."), sets));
    long build = CPU.getCurrentThreadCpuTime() - t0;
    sets = null;
    System.gc();
    long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    long[] times = new long[200];
    for (int k = 0; k < times.length; k++) {
      int svc = (k * 7919) % services;
      Version next = v.next();
      var delta = new Delta(v, next, List.of("minilb."), List.of(service(svc, k + 1).get(0)), List.of());
      long s = CPU.getCurrentThreadCpuTime();
      idx = idx.apply(delta);
      times[k] = CPU.getCurrentThreadCpuTime() - s;
      v = next;
    }
    Arrays.sort(times);
    System.out.printf(
        "%d services (%d RRsets): full index %d ms CPU, heap after GC %.1f MiB; one-endpoint delta (CPU): p50 %.1f us, p99 %.1f us, max %.1f us%n",
        services, idx.rrsetCount(), build / 1_000_000, heap / 1048576.0,
        times[100] / 1e3, times[197] / 1e3, times[199] / 1e3);
  }

  /** Service i: its A set (3 endpoints, the third moved by {@code change}), endpoint names, SRVs. */
  static List<RRSet> service(int i, int change) throws Exception {
    String owner = "svc" + i + ".ns" + (i % 50) + ".minilb.";
    var a = new ArrayList<Rdata>();
    var out = new ArrayList<RRSet>();
    var srv = new ArrayList<Rdata>();
    for (int j = 0; j < 3; j++) {
      int last = j == 2 ? (3 + change) % 250 : j + 1;
      byte[] ip = {10, (byte) (i >> 8), (byte) i, (byte) last};
      a.add(Rdata.of(ip));
      String ep = "ep" + j + "." + owner;
      out.add(new RRSet(ep, Type.A, 5, List.of(Rdata.of(ip))));
      srv.add(Rdata.of(new SRVRecord(Name.fromString("_http._tcp." + owner), DClass.IN, 5, 0, 1,
          8080, Name.fromString(ep)).rdataToWireCanonical()));
    }
    out.add(0, new RRSet(owner, Type.A, 5, a));
    out.add(new RRSet("_http._tcp." + owner, Type.SRV, 5, srv));
    return out;
  }
}
