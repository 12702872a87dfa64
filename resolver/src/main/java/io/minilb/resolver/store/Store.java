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
 * The resolver's current {@link ZoneIndex}, replaced atomically on each update. Readers (query
 * threads) never lock and read one immutable version, which carries its own {@link Version}; the
 * single writer (the stream client) derives the next version from the current one (sharing all it
 * does not change) and publishes it with one volatile write. An update that fails validation throws
 * and publishes nothing: the last good version keeps serving.
 */
public final class Store {

  private final AtomicReference<ZoneIndex> current = new AtomicReference<>();
  private final Freshness freshness;
  private final List<Consumer<ZoneIndex>> listeners = new CopyOnWriteArrayList<>();
  private final List<Change> changeListeners = new CopyOnWriteArrayList<>();

  /**
   * The held data as one {@link Snapshot}, kept only while a {@link Change} listener wants it (zone
   * transfer): then each update also costs a copy of the snapshot, not only the index's O(k).
   */
  private Snapshot snapshot;

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

  /** Runs after every update with the new index, on the updating thread. */
  public void addListener(Consumer<ZoneIndex> listener) {
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
    return idx == null ? Optional.empty() : Optional.of(idx.version());
  }

  /**
   * Replaces everything with {@code snapshot}.
   *
   * @throws IllegalArgumentException if the snapshot cannot be served (nothing changes)
   */
  public void replace(Snapshot snapshot) {
    publish(ZoneIndex.of(snapshot), null);
  }

  /** Replaces everything with {@code index} (e.g. loaded from the snapshot file). */
  public void replace(ZoneIndex index) {
    publish(index);
  }

  /**
   * Applies {@code delta} to the held snapshot.
   *
   * @return false, changing nothing, when the delta's base is not the held version
   * @throws IllegalArgumentException if the result cannot be served (nothing changes)
   */
  public boolean apply(Delta delta) {
    ZoneIndex idx = current.get();
    if (idx == null || !idx.version().equals(delta.base())) {
      return false;
    }
    publish(idx.apply(delta), delta);
    return true;
  }

  private void publish(ZoneIndex next) {
    publish(next, null);
  }

  private void publish(ZoneIndex next, Delta delta) {
    current.set(next);
    listeners.forEach(l -> l.accept(next));
    if (!changeListeners.isEmpty()) {
      Snapshot before = snapshot;
      snapshot = delta != null && before != null ? before.apply(delta) : next.snapshot();
      changeListeners.forEach(l -> l.changed(before, delta, snapshot));
    }
  }
}
