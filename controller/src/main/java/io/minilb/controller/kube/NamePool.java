package io.minilb.controller.kube;

/**
 * One copy of the strings that many views repeat: namespaces, Service names (a Service's and its
 * slices'), port names, protocols, types and classes. The JSON parser makes a new String for every
 * value it reads, so at 10k Services the views held about 5 MiB of copies of a few hundred values.
 *
 * <p>Bounded whatever the cluster holds: a fixed table of {@value #SLOTS} slots, each string hashed
 * to one; a string that finds its slot taken by another value replaces it, so a miss costs only the
 * copy the view would have held anyway. Thread-safe: a slot is read and written without locks,
 * which is safe for immutable Strings; a lost race only costs one duplicate.
 */
final class NamePool {

  static final int SLOTS = 1 << 14;

  /** Longer values are rarely repeated (host names, addresses); they are not pooled. */
  static final int MAX_LENGTH = 63;

  private final String[] slots = new String[SLOTS];

  /** An equal string from the pool, or {@code s} itself (then pooled); null for null. */
  String of(String s) {
    if (s == null || s.length() > MAX_LENGTH) {
      return s;
    }
    int h = s.hashCode();
    int i = (h ^ (h >>> 14)) & (SLOTS - 1);
    String pooled = slots[i];
    if (s.equals(pooled)) {
      return pooled;
    }
    slots[i] = s;
    return s;
  }
}
