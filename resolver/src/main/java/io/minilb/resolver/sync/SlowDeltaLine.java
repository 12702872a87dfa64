package io.minilb.resolver.sync;

import java.util.concurrent.TimeUnit;

/**
 * Rate limit for the "slow delta" INFO line: at most one per {@link #EVERY_NANOS}, so a resolver
 * that stays slow (a starved CPU, a long GC) logs a line every ten seconds, not one per delta. The
 * next line that is let through carries the count held back since the previous one. Not
 * thread-safe: confined to the stream's synchronized callbacks.
 */
final class SlowDeltaLine {

  static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private boolean logged;
  private long lastNanos;
  private int suppressed;

  /**
   * Whether a slow delta at {@code nowNanos} (a {@link System#nanoTime()} reading) gets its INFO
   * line: -1 if not (it is counted), else how many were held back since the last one logged.
   */
  int admit(long nowNanos) {
    if (logged && nowNanos - lastNanos < EVERY_NANOS) {
      suppressed++;
      return -1;
    }
    logged = true;
    lastNanos = nowNanos;
    int held = suppressed;
    suppressed = 0;
    return held;
  }
}
