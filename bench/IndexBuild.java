// The resolver's full-sync index build alone, in a fresh JVM as a fresh resolver does it: loads a
// snapshot file (bench/ZoneToSnapshot.java's output, the same wire message a full sync carries)
// through the resolver's SnapshotFile, which indexes it with the code a full sync uses
// (WireSnapshot.index). Prints the first, cold build (what a starting resolver pays: interpreted
// and C1-compiled code, a growing heap) and then the median of further builds (warm). Run it with
// the images' flags (deploy/image/java-opts) to match the shipped process; add
// -XX:StartFlightRecording=filename=F.jfr,settings=profile and read F.jfr with bench/JfrTop.java for
// where the time goes. A single-file program:
//   java $(grep -v '^#' deploy/image/java-opts) -Xmx160m \
//     -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/IndexBuild.java SNAPSHOT [REPEATS]
import io.minilb.resolver.store.SnapshotFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

public class IndexBuild {
  public static void main(String[] args) {
    var file = new SnapshotFile(Path.of(args[0]));
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    var cpu = ManagementFactory.getThreadMXBean();
    long c0 = cpu.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    int rrsets = file.load().orElseThrow().index().rrsetCount();
    long cold = System.nanoTime() - t0;
    long coldCpu = cpu.getCurrentThreadCpuTime() - c0;
    long gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> b.getCollectionTime()).sum();
    var warm = new long[repeats];
    var warmCpu = new long[repeats];
    for (int i = 0; i < repeats; i++) {
      long s = System.nanoTime();
      long c = cpu.getCurrentThreadCpuTime();
      file.load().orElseThrow();
      warm[i] = System.nanoTime() - s;
      warmCpu[i] = cpu.getCurrentThreadCpuTime() - c;
    }
    Arrays.sort(warm);
    Arrays.sort(warmCpu);
    System.out.printf(
        "%d rrsets: cold load and index %.1f ms (%.1f ms CPU on this thread, GC %d ms so far)%s%n",
        rrsets, cold / 1e6, coldCpu / 1e6, gcs,
        repeats == 0 ? "" : String.format("; warm median of %d: %.1f ms (%.1f ms CPU on this thread)",
            repeats, warm[repeats / 2] / 1e6, warmCpu[repeats / 2] / 1e6));
  }
}
