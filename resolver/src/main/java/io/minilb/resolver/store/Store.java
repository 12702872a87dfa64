package io.minilb.resolver.store;

import io.minilb.snapshot.Delta;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The resolver's current {@link ZoneIndex}, swapped whole and atomically on each update. Readers
 * (query threads) never lock; the single writer (the stream client) builds the next index off to
 * the side and publishes it with one volatile write.
 */
public final class Store {

  private final AtomicReference<ZoneIndex> current = new AtomicReference<>();
  private final Freshness freshness;
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private final List<Change> changeListeners = new CopyOnWriteArrayList<>();

  /**
   * One update as it happened: for secondaries that want to know what changed, not only the result.
   */
  @FunctionalInterface
  public interface Change {
    /**
     * @param before the snapshot replaced; null for the first one
     * @param delta the delta applied; null when the snapshot was replaced whole
     * @param after the snapshot now held
     */
    void changed(Snapshot before, Delta delta, Snapshot after);
  }

  public Store() {
    this(Freshness.unbounded());
  }

  public Store(Freshness freshness) {
    this.freshness = freshness;
  }

  public Freshness freshness() {
    return freshness;
  }

  /** Runs after every update with the new snapshot, on the updating thread. */
  public void addListener(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  /** Runs after every update with what changed, on the updating thread (after the listeners). */
  public void addChangeListener(Change listener) {
    changeListeners.add(listener);
  }

  /** The index to answer from, or null before the first snapshot. */
  public ZoneIndex index() {
    return current.get();
  }

  public Optional<Version> version() {
    ZoneIndex idx = current.get();
    return idx == null ? Optional.empty() : Optional.of(idx.snapshot().version());
  }

  /** Replaces everything with {@code snapshot}. */
  public void replace(Snapshot snapshot) {
    publish(ZoneIndex.of(snapshot), null);
  }

  /**
   * Applies {@code delta} to the held snapshot.
   *
   * @return false, changing nothing, when the delta's base is not the held version
   */
  public boolean apply(Delta delta) {
    ZoneIndex idx = current.get();
    if (idx == null || !idx.snapshot().version().equals(delta.base())) {
      return false;
    }
    publish(ZoneIndex.of(idx.snapshot().apply(delta)), delta);
    return true;
  }

  private void publish(ZoneIndex next, Delta delta) {
    ZoneIndex before = current.getAndSet(next);
    listeners.forEach(l -> l.accept(next.snapshot()));
    Snapshot old = before == null ? null : before.snapshot();
    changeListeners.forEach(l -> l.changed(old, delta, next.snapshot()));
  }
}
