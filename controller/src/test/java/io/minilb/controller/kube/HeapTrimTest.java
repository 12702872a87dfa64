package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

  @Test
  void trimsOnce_afterTheFirstPublish_notAfterEveryOne() {
    List<Runnable> queued = new ArrayList<>();
    var trims = new AtomicInteger();
    var trim = new HeapTrim(queued::add, trims::incrementAndGet);

    trim.run();
    trim.run();
    trim.run();
    queued.forEach(Runnable::run);

    assertThat(trims).hasValue(1);
  }

  @Test
  void trim_whenTheOperatorSetTheFreeRatios_leavesBothAsSet() throws Exception {
    assertThat(ratiosAfterTrim("-XX:MaxHeapFreeRatio=50"))
        .isEqualTo("MinHeapFreeRatio=40 MaxHeapFreeRatio=50");
    assertThat(ratiosAfterTrim("-XX:MinHeapFreeRatio=20")).startsWith("MinHeapFreeRatio=20 ");
  }

  @Test
  void trim_withTheDefaultRatios_setsTheTrimBounds() throws Exception {
    assertThat(ratiosAfterTrim())
        .isEqualTo(
            "MinHeapFreeRatio=" + HeapTrim.MIN_FREE + " MaxHeapFreeRatio=" + HeapTrim.MAX_FREE);
  }

  @Test
  void trim_withAnotherCollector_leavesTheBoundsAtTheirDefaults() throws Exception {
    assertThat(ratiosAfterTrim("-XX:+UseG1GC"))
        .isEqualTo("MinHeapFreeRatio=40 MaxHeapFreeRatio=70");
  }

  /** Runs {@link Trimmed} in a JVM of its own started with {@code flags}; its output. */
  private static String ratiosAfterTrim(String... flags) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(flags));
    if (List.of(flags).stream().noneMatch(f -> f.matches("-XX:\\+Use\\w+GC"))) {
      command.add("-XX:+UseSerialGC"); // the images' collector
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Trimmed.class.getName()));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    String[] lines = out.strip().split("\\R");
    return lines[lines.length - 1];
  }

  /** Trims its own heap, then prints the free ratios. */
  static final class Trimmed {
    public static void main(String[] args) {
      HeapTrim.trim();
      var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      System.out.println(
          "MinHeapFreeRatio="
              + vm.getVMOption("MinHeapFreeRatio").getValue()
              + " MaxHeapFreeRatio="
              + vm.getVMOption("MaxHeapFreeRatio").getValue());
    }
  }
}
