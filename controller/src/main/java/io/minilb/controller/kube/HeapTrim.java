package io.minilb.controller.kube;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.minilb.controller.snapshot.AfterFirstPublish;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the heap that the initial list and the first full build grew, once the first snapshot
 * is published: the controller then idles for long stretches, and with the Serial collector of the
 * images only a full collection shrinks the heap, so without this the start-up peak stayed
 * committed for good (about 50 MiB at 10k Services).
 *
 * <p>It sets the free-heap bounds that decide how far a collection shrinks and grows the heap (both
 * are manageable flags, so the images' shared JVM flags stay as they are), then runs {@link
 * #COLLECTIONS} full collections: Serial shrinks in steps of 0, 10, 40 and then 100 % of the excess
 * ({@code -XX:+ShrinkHeapInSteps}). Bounds an operator set on the command line or in {@code
 * JAVA_TOOL_OPTIONS} are kept (see {@link #setFreeBounds}). Only with the Serial collector: another
 * collector was an operator's choice, and its full collections pause every thread for longer, the
 * Lease renewal included. On {@code executor}, never on the publishing thread. Thread-safe.
 */
public final class HeapTrim implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);

  /** Whether the JVM runs the Serial collector (its old generation is "MarkSweepCompact"). */
  static boolean serialCollector() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .anyMatch(gc -> gc.getName().equals("MarkSweepCompact"));
  }

  /**
   * Percent of the heap left free after a collection: grow below the first, shrink above the
   * second.
   */
  static final int MIN_FREE = 10;

  static final int MAX_FREE = 30;
  static final int COLLECTIONS = 4;

  private final AfterFirstPublish once;

  public HeapTrim(Executor executor) {
    this(executor, HeapTrim::trim);
  }

  HeapTrim(Executor executor, Runnable trim) {
    this.once = new AfterFirstPublish(executor, trim);
  }

  /** Called after each publish; trims once, after the first. */
  @Override
  public void run() {
    once.run();
  }

  static void trim() {
    if (!serialCollector()) {
      // The other collectors size the heap on their own (G1 also uncommits after its periodic and
      // remark cycles), and their full collections stop every thread for longer: leave them be.
      log.info("not trimming the heap: the collector is not Serial");
      return;
    }
    try {
      setFreeBounds(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
    } catch (RuntimeException e) {
      log.warn("cannot set the free-heap bounds: {}", e.toString());
    }
    for (int i = 0; i < COLLECTIONS; i++) {
      System.gc();
    }
  }

  /**
   * Sets the free-heap bounds unless the operator set either one ({@code -XX:MinHeapFreeRatio},
   * {@code -XX:MaxHeapFreeRatio}, also through {@code JAVA_TOOL_OPTIONS}): then both stay as set,
   * since the two only make sense as a pair. The bounds are not restored afterwards: they keep
   * later collections from growing the heap back far beyond what is live.
   *
   * @return whether the bounds were set
   */
  static boolean setFreeBounds(HotSpotDiagnosticMXBean vm) {
    for (String flag : new String[] {"MinHeapFreeRatio", "MaxHeapFreeRatio"}) {
      VMOption option = vm.getVMOption(flag);
      if (option.getOrigin() != VMOption.Origin.DEFAULT) {
        log.info(
            "leaving the free-heap bounds as set ({}={}, from {}); the start-up peak is given back"
                + " only as far as they allow",
            flag,
            option.getValue(),
            option.getOrigin());
        return false;
      }
    }
    // in this order, so the minimum never exceeds the maximum
    vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_FREE));
    vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_FREE));
    return true;
  }
}
