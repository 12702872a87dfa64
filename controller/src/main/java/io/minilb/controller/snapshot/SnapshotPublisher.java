package io.minilb.controller.snapshot;

import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Holds the current {@link Snapshot} of one leadership epoch and the few before it. A new version
 * is published only when the records really changed; the SOA serial then moves forward too.
 *
 * <p>The SOA serial is {@code max(previous + 1, unix seconds)}, so it grows with every change and,
 * because a new leader starts from the clock, keeps growing across restarts and failovers (as long
 * as the average change rate stays under one per second).
 *
 * <p>Thread-safe: publishing is synchronized; readers see immutable snapshots.
 */
public final class SnapshotPublisher {

  /** How many recent snapshots a reconnecting resolver can resume from. */
  static final int HISTORY = 4;

  /** Builds the SOA RRset of one zone apex for a serial. */
  @FunctionalInterface
  public interface Soa {
    RRSet at(String apex, long serial);
  }

  private final long epoch;
  private final Soa soa;
  private final LongSupplier clockSeconds;
  private final Deque<Snapshot> history = new ArrayDeque<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private List<String> lastZones;
  private List<RRSet> lastRecords;
  private boolean lastSorted;
  private Delta step;
  private long serial;
  private volatile Snapshot current;

  /**
   * @param epoch this leadership's epoch; must differ from every earlier one
   * @param soa builds each zone's SOA RRset for a serial
   * @param clockSeconds the wall clock in seconds, for the serial
   */
  public SnapshotPublisher(long epoch, Soa soa, LongSupplier clockSeconds) {
    this.epoch = epoch;
    this.soa = soa;
    this.clockSeconds = clockSeconds;
  }

  /** The newest snapshot, or null before the first publish. */
  public Snapshot current() {
    return current;
  }

  /** A retained snapshot at exactly {@code version}, or null. */
  public synchronized Snapshot find(Version version) {
    for (Snapshot s : history) {
      if (s.version().equals(version)) {
        return s;
      }
    }
    return null;
  }

  /** Runs after each new version (on the publishing thread; keep it short). */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Publishes {@code records} (everything but the SOAs) for {@code zones}.
   *
   * <p>Records sorted by {@link RRKey}, as {@link io.minilb.controller.records.RecordBuilder} gives
   * them, are compared with the last ones in one merge walk, mostly by identity, and the delta from
   * the version before is kept from it; any other order is compared through the snapshot's map, and
   * its deltas are computed when asked for.
   *
   * @return true when a new version was published, false when nothing changed
   */
  public boolean publish(List<String> zones, List<RRSet> records) {
    synchronized (this) {
      // An unchanged RRset is shared with the snapshot before, so the history costs only what
      // changed rather than a full copy per kept version.
      var all = new ArrayList<RRSet>(records.size() + zones.size());
      var changes = current != null && lastSorted ? Changes.walk(lastRecords, records, all) : null;
      boolean sorted = changes != null || Changes.sorted(records);
      if (changes == null) {
        all.clear();
        if (current != null && zones.equals(lastZones) && records.equals(lastRecords)) {
          return false;
        }
        for (RRSet r : records) {
          RRSet before = current == null ? null : current.rrsets().get(r.key());
          all.add(r.equals(before) ? before : r);
        }
      } else if (changes.isEmpty() && zones.equals(lastZones)) {
        return false;
      }
      serial = Math.min(Math.max(serial + 1, clockSeconds.getAsLong()), 0xFFFF_FFFFL);
      for (String zone : zones) {
        all.add(soa.at(zone, serial));
      }
      Version version = current == null ? new Version(epoch, 1) : current.version().next();
      Snapshot next = new Snapshot(version, zones, all);
      step =
          changes == null
              ? null
              : changes.delta(current, next, all.subList(records.size(), all.size()));
      lastZones = List.copyOf(zones);
      lastRecords = List.copyOf(all.subList(0, records.size()));
      lastSorted = sorted;
      history.addLast(next);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
      current = next;
    }
    listeners.forEach(Runnable::run);
    return true;
  }

  /**
   * The delta that turns {@code base} into {@code latest}: the one kept at publish when {@code
   * latest} is the newest version and {@code base} the one before it, else {@code
   * latest.diff(base)}. Either way it applies to {@code base} to give {@code latest}.
   */
  public Delta diff(Snapshot base, Snapshot latest) {
    Delta kept;
    synchronized (this) {
      kept = step;
    }
    if (kept != null
        && kept.version().equals(latest.version())
        && kept.base().equals(base.version())) {
      return kept;
    }
    return latest.diff(base);
  }
}
