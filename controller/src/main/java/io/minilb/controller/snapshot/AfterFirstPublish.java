package io.minilb.controller.snapshot;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish listener that hands its task to an executor once, after the first publish, never
 * running it on the publishing thread. An executor that refuses the task because the controller is
 * closing is ignored: a publish never fails for it. Thread-safe.
 */
public final class AfterFirstPublish implements Runnable {

  private final Executor executor;
  private final Runnable task;
  private final AtomicBoolean done = new AtomicBoolean();

  public AfterFirstPublish(Executor executor, Runnable task) {
    this.executor = executor;
    this.task = task;
  }

  @Override
  public void run() {
    if (done.compareAndSet(false, true)) {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        // The controller is closing: the task has nothing left to do.
      }
    }
  }
}
