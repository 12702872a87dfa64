package io.minilb.controller.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Bytes of responses that may sit in the transport's buffers at once, over all streams. gRPC copies
 * each message into direct memory when it is sent and keeps it there until the socket takes it, so
 * without this a hundred resolvers reconnecting together would hold a hundred copies of a full
 * snapshot. A stream that cannot reserve waits in line and is called back, in order, when bytes are
 * released. One message larger than the whole budget still goes when nothing else is reserved.
 *
 * <p>Thread-safe. Callbacks run outside the lock, on the releasing thread.
 */
final class SendBudget {

  private final long limit;
  private final LinkedHashSet<Runnable> waiting = new LinkedHashSet<>();
  private long reserved;
  private final ThreadLocal<boolean[]> wake = ThreadLocal.withInitial(() -> new boolean[2]);

  SendBudget(long limit) {
    this.limit = limit;
  }

  /**
   * Reserves {@code bytes}, or puts {@code retry} in line and returns false. A caller already in
   * line only succeeds at its head, so a stream of small messages cannot starve a big one.
   */
  synchronized boolean tryReserve(long bytes, Runnable retry) {
    boolean turn = waiting.isEmpty() || waiting.iterator().next() == retry;
    if (turn && (reserved == 0 || reserved + bytes <= limit)) {
      waiting.remove(retry);
      reserved += bytes;
      return true;
    }
    waiting.add(retry);
    return false;
  }

  /** Returns {@code bytes} and calls every waiting stream back, in line order, to try again. */
  void release(long bytes) {
    synchronized (this) {
      reserved -= bytes;
    }
    wakeAll();
  }

  /** Takes {@code retry} out of the line (its stream ended). */
  void forget(Runnable retry) {
    synchronized (this) {
      boolean wasHead = !waiting.isEmpty() && waiting.iterator().next() == retry;
      if (!waiting.remove(retry) || !wasHead) {
        return;
      }
    }
    wakeAll();
  }

  /**
   * Calls every waiting stream back, in line order. A callback that releases or leaves the line in
   * turn (a stream whose send fails gives its bytes straight back) does not call back from inside
   * the first: the outer call goes round the line again once it is done. Nested, a thousand streams
   * failing after a failover overflowed the stack, and the budget and their seats were never given
   * back.
   */
  private void wakeAll() {
    boolean[] state = wake.get(); // {waking, again}
    if (state[0]) {
      state[1] = true;
      return;
    }
    state[0] = true;
    try {
      do {
        state[1] = false;
        List<Runnable> line;
        synchronized (this) {
          line = new ArrayList<>(waiting);
        }
        line.forEach(Runnable::run);
      } while (state[1]);
    } finally {
      state[0] = false;
      state[1] = false;
    }
  }

  synchronized long reserved() {
    return reserved;
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
