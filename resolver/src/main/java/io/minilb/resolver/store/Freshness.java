package io.minilb.resolver.store;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How current the held data is. While the stream is synced the data is current; from the moment it
 * drops (or, for data loaded from a file, from the file's last write) it ages. Past {@code
 * maxStale} (zero: never) the resolver stops answering from it. Thread-safe; reads are one volatile
 * load.
 */
public final class Freshness {

  private final Duration maxStale;
  private final LongSupplier clockMillis;
  private volatile long staleSinceMillis = -1; // -1: current (or nothing held yet)

  public Freshness(Duration maxStale, LongSupplier clockMillis) {
    this.maxStale = maxStale;
    this.clockMillis = clockMillis;
  }

  public static Freshness unbounded() {
    return new Freshness(Duration.ZERO, System::currentTimeMillis);
  }

  /** The stream is synced: the data is current. */
  public void current() {
    staleSinceMillis = -1;
  }

  /** The data stopped being confirmed at {@code sinceMillis}; keeps an earlier start. */
  public void staleSince(long sinceMillis) {
    if (staleSinceMillis < 0) {
      staleSinceMillis = sinceMillis;
    }
  }

  /** The stream dropped now. */
  public void disconnected() {
    staleSince(clockMillis.getAsLong());
  }

  /** How long the data has not been confirmed; zero while current. */
  public Duration age() {
    return Duration.ofMillis(ageMillis());
  }

  /** {@link #age()} in milliseconds, without allocating (read per query). */
  public long ageMillis() {
    long since = staleSinceMillis;
    return since < 0 ? 0 : Math.max(0, clockMillis.getAsLong() - since);
  }

  /** Whether the data is too old to answer from. */
  public boolean expired() {
    long since = staleSinceMillis;
    return since >= 0
        && !maxStale.isZero()
        && clockMillis.getAsLong() - since > maxStale.toMillis();
  }
}
