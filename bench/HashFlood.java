// The resolver's index under names whose String.hashCode collide, as a tenant can choose them
// (Ingress hosts, minilb/host names): 2^K owner names whose first label is K blocks of "an" or "c0"
// (equal hashCode, so all 2^K names share one hash), each with one A record, beside the same count
// of ordinary names for comparison. Each set is written as a snapshot file and loaded through the
// resolver's SnapshotFile (the code a full sync uses, WireSnapshot into ZoneIndex.Builder); then
// 20,000 lookups cycle through the names, and 200 deltas each remove or restore one name's A
// record. Prints the cold build (fresh JVM), the warm median of REPEATS builds, the mean time per
// lookup and per delta, all as the thread's CPU time. A single-file program:
//   java $(grep -v '^#' deploy/image/java-opts) -Xmx256m \
//     -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/HashFlood.java K [REPEATS]
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.resolver.store.ZoneIndex;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

public class HashFlood {
  static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int k = Integer.parseInt(args[0]);
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var colliding = new ArrayList<String>();
    var ordinary = new ArrayList<String>();
    for (int i = 0; i < 1 << k; i++) {
      var label = new StringBuilder();
      for (int b = 0; b < k; b++) {
        label.append((i >>> b & 1) == 0 ? "an" : "c0");
      }
      colliding.add(label + ".flood.minilb.");
      ordinary.add("host" + i + ".flood.minilb.");
    }
    if (colliding.stream().mapToInt(String::hashCode).distinct().count() != 1) {
      throw new AssertionError("names do not collide");
    }
    run("colliding", colliding, k, repeats);
    run("ordinary", ordinary, k, repeats);
  }

  static void run(String what, List<String> names, int k, int repeats) throws Exception {
    var soa = new SOARecord(Name.fromString("minilb."), DClass.IN, 5, Name.fromString("ns.minilb."),
        Name.fromString("hostmaster.minilb."), 1, 60, 30, 3600, 5);
    var sets = new ArrayList<RRSet>();
    sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))));
    for (int i = 0; i < names.size(); i++) {
      sets.add(a(names.get(i), i));
    }
    var path = Files.createTempFile("hash-flood", ".snapshot");
    var file = new SnapshotFile(path);
    var v1 = new Version(1, 1);
    file.write(new Snapshot(v1, List.of("minilb."), sets));
    long c = CPU.getCurrentThreadCpuTime();
    ZoneIndex index = file.load().orElseThrow().index();
    long cold = CPU.getCurrentThreadCpuTime() - c;
    var warm = new long[repeats];
    for (int i = 0; i < repeats; i++) {
      c = CPU.getCurrentThreadCpuTime();
      file.load().orElseThrow();
      warm[i] = CPU.getCurrentThreadCpuTime() - c;
    }
    Arrays.sort(warm);
    Files.delete(path);
    // Keys as the fast path holds them: Strings whose hash is already cached.
    var keys = names.stream().map(String::new).toList();
    keys.forEach(String::hashCode);
    int lookups = 20_000; // cycling through the names, after 2,000 to warm up
    long found = 0;
    for (int i = 0; i < 2_000; i++) {
      found += index.find(keys.get(i % keys.size()), Type.A) == null ? 0 : 1;
    }
    c = CPU.getCurrentThreadCpuTime();
    for (int i = 0; i < lookups; i++) {
      found += index.find(keys.get(i % keys.size()), Type.A) == null ? 0 : 1;
    }
    long looked = CPU.getCurrentThreadCpuTime() - c;
    if (found != 2_000 + lookups) {
      throw new AssertionError("lookups missed");
    }
    var deltas = 200;
    ZoneIndex idx = index;
    Version at = v1;
    c = CPU.getCurrentThreadCpuTime();
    for (int d = 0; d < deltas; d++) {
      var next = new Version(1, at.sequence() + 1);
      var name = names.get(d / 2);
      var add = d % 2 == 1;
      var change =
          new Delta(at, next, List.of("minilb."), add ? List.of(a(name, d)) : List.of(),
              add ? List.of() : List.of(new RRKey(name, Type.A)));
      idx = idx.apply(change);
      at = next;
    }
    long applied = CPU.getCurrentThreadCpuTime() - c;
    System.out.printf(
        "%s 2^%d names: build cold %.1f ms, warm median of %d %.1f ms; lookup %.3f us; delta %.1f us%n",
        what, k, cold / 1e6, repeats, warm[repeats / 2] / 1e6,
        looked / 1e3 / lookups, applied / 1e3 / deltas);
  }

  static RRSet a(String name, int i) {
    return new RRSet(name, Type.A, 5,
        List.of(Rdata.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i})));
  }
}
