import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the resolver under load: where the CPU samples land (top frame,
 * and the first minilb or Netty frame on the stack), what is allocated from where (sampled bytes),
 * and the garbage collections.
 *
 * <pre>java bench/JfrTop.java recording.jfr [rows]</pre>
 */
public final class JfrTop {

  public static void main(String[] args) throws Exception {
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> ours = new HashMap<>();
    Map<String, Long> allocated = new HashMap<>();
    long samples = 0;
    long allocatedTotal = 0;
    long gcs = 0;
    long gcNanos = 0;
    long gcMax = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      switch (e.getEventType().getName()) {
        case "jdk.ExecutionSample" -> {
          samples++;
          RecordedStackTrace st = e.getStackTrace();
          if (st == null || st.getFrames().isEmpty()) {
            continue;
          }
          self.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
          ours.merge(firstOwn(st), 1L, Long::sum);
        }
        case "jdk.ObjectAllocationSample" -> {
          long w = e.getLong("weight");
          allocatedTotal += w;
          String type = e.getClass("objectClass").getName();
          allocated.merge(type + " from " + firstOwn(e.getStackTrace()), w, Long::sum);
        }
        case "jdk.GarbageCollection" -> {
          gcs++;
          long d = e.getDuration().toNanos();
          gcNanos += d;
          gcMax = Math.max(gcMax, d);
        }
        default -> {}
      }
    }
    System.out.printf("CPU samples: %d%n%nby top frame:%n", samples);
    print(self, samples, rows, "%");
    System.out.printf("%nby first minilb frame (else first Netty frame):%n");
    print(ours, samples, rows, "%");
    System.out.printf("%nallocation (sampled bytes, total %.1f MiB):%n", allocatedTotal / 1048576.0);
    print(allocated, allocatedTotal, rows, "%");
    System.out.printf(
        "%ngarbage collections: %d, total pause %.1f ms, longest %.2f ms%n",
        gcs, gcNanos / 1e6, gcMax / 1e6);
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static String firstOwn(RecordedStackTrace st) {
    if (st == null) {
      return "?";
    }
    String netty = null;
    for (RecordedFrame f : st.getFrames()) {
      String t = f.getMethod().getType().getName();
      if (t.startsWith("io.minilb.")) {
        return frame(f);
      }
      if (netty == null && t.startsWith("io.netty.")) {
        netty = frame(f);
      }
    }
    return netty != null ? netty : st.getFrames().isEmpty() ? "?" : frame(st.getFrames().get(0));
  }

  private static void print(Map<String, Long> counts, long total, int rows, String unit) {
    List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
    list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (var e : list.subList(0, Math.min(rows, list.size()))) {
      System.out.printf("  %5.1f%s  %s%n", 100.0 * e.getValue() / Math.max(1, total), unit, e.getKey());
    }
  }
}
