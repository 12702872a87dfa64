package io.minilb.controller.kube;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One full garbage collection after the first snapshot is published, so that the heap the initial
 * list and the first full build grew gives its memory back. With the Serial collector of the
 * images, only a full collection shrinks the heap, by what {@code -XX:MaxHeapFreeRatio} allows; a
 * controller idles after its start-up, so without this the peak would stay committed for good. Runs
 * on {@code executor}, not on the publishing thread. Thread-safe.
 */
public final class HeapTrim implements Runnable {

  private final Executor executor;
  private final AtomicBoolean done = new AtomicBoolean();

  public HeapTrim(Executor executor) {
    this.executor = executor;
  }

  /** Called after each publish; collects once, after the first. */
  @Override
  public void run() {
    if (done.compareAndSet(false, true)) {
      executor.execute(System::gc);
    }
  }
}
