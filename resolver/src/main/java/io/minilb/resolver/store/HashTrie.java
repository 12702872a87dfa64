package io.minilb.resolver.store;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A persistent hash map: a hash array mapped trie (Bagwell's HAMT, laid out as in Clojure's {@code
 * PersistentHashMap}). Immutable; {@link #put} and {@link #remove} return a new map that shares
 * every node off the path to the changed key, so a change costs O(log32 n) time and allocation and
 * the previous version stays intact and usable by any number of concurrent readers.
 *
 * <p>Why a HAMT rather than per-zone copy-on-write maps: one zone (the domain) holds nearly every
 * name, so copying a zone's map on change is copying the index. A sorted persistent tree would work
 * too, but lookups here are exact-match only, and a HAMT is shallower (about four levels at 50,000
 * keys) and stores two references per entry in its nodes' arrays, with no per-entry node object.
 *
 * <p>Keys must be immutable with consistent {@code equals}/{@code hashCode}; null keys and values
 * are not allowed.
 */
final class HashTrie<K, V> {

  private static final int BITS = 5;
  private static final int MASK = (1 << BITS) - 1;
  private static final HashTrie<?, ?> EMPTY = new HashTrie<>(Bitmap.EMPTY, 0);

  private final Node root;
  private final int size;

  private HashTrie(Node root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <K, V> HashTrie<K, V> empty() {
    return (HashTrie<K, V>) EMPTY;
  }

  /** A map of the entries of {@code map}, built in one pass (no intermediate versions). */
  static <K, V> HashTrie<K, V> of(java.util.Map<K, V> map) {
    var keys = new Object[map.size()];
    var values = new Object[keys.length];
    int i = 0;
    for (var e : map.entrySet()) {
      keys[i] = e.getKey();
      values[i] = e.getValue();
      i++;
    }
    return of(keys, values);
  }

  /**
   * A map of {@code keys[i]} to {@code values[i]}, built in one pass; the keys must be distinct.
   * The arrays are not kept.
   */
  static <K, V> HashTrie<K, V> of(Object[] keys, Object[] values) {
    int n = keys.length;
    if (n == 0) {
      return empty();
    }
    var hashes = new int[n];
    int i;
    for (i = 0; i < n; i++) {
      Objects.requireNonNull(keys[i], "key");
      Objects.requireNonNull(values[i], "value");
      hashes[i] = hash(keys[i]);
    }
    var order = new int[n];
    for (i = 0; i < n; i++) {
      order[i] = i;
    }
    return new HashTrie<>(build(0, hashes, keys, values, order, 0, n, new int[n]), n);
  }

  /** The node for entries {@code order[from..to)}, whose hashes agree below {@code shift}. */
  private static Node build(
      int shift, int[] h, Object[] k, Object[] v, int[] order, int from, int to, int[] scratch) {
    boolean same = true;
    for (int i = from + 1; i < to && same; i++) {
      same = h[order[i]] == h[order[from]];
    }
    if (same && to - from > 1) {
      var a = new Object[2 * (to - from)];
      for (int i = from; i < to; i++) {
        a[2 * (i - from)] = k[order[i]];
        a[2 * (i - from) + 1] = v[order[i]];
      }
      return new Collision(h[order[from]], a);
    }
    var counts = new int[33];
    for (int i = from; i < to; i++) {
      counts[((h[order[i]] >>> shift) & MASK) + 1]++;
    }
    for (int b = 0; b < 32; b++) {
      counts[b + 1] += counts[b];
    }
    int[] starts = counts.clone();
    for (int i = from; i < to; i++) {
      int o = order[i];
      scratch[from + counts[(h[o] >>> shift) & MASK]++] = o;
    }
    System.arraycopy(scratch, from, order, from, to - from);
    int bitmap = 0;
    int slots = 0;
    for (int b = 0; b < 32; b++) {
      if (starts[b + 1] > starts[b]) {
        bitmap |= 1 << b;
        slots++;
      }
    }
    var a = new Object[2 * slots];
    int at = 0;
    for (int b = 0; b < 32; b++) {
      int lo = from + starts[b];
      int hi = from + starts[b + 1];
      if (hi - lo == 1) {
        a[at] = k[order[lo]];
        a[at + 1] = v[order[lo]];
        at += 2;
      } else if (hi > lo) {
        a[at + 1] = build(shift + BITS, h, k, v, order, lo, hi, scratch);
        at += 2;
      }
    }
    return new Bitmap(bitmap, a);
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(Object key) {
    return (V) root.find(0, hash(key), key);
  }

  /** This map with {@code key} mapped to {@code value}; this map itself when nothing changes. */
  HashTrie<K, V> put(K key, V value) {
    Objects.requireNonNull(value, "value");
    boolean[] added = new boolean[1];
    Node r = root.put(0, hash(key), Objects.requireNonNull(key, "key"), value, added);
    return r == root ? this : new HashTrie<>(r, added[0] ? size + 1 : size);
  }

  /** This map without {@code key}; this map itself when it has no such key. */
  HashTrie<K, V> remove(Object key) {
    Node r = root.remove(0, hash(key), key);
    if (r == root) {
      return this;
    }
    return size == 1 ? empty() : new HashTrie<>(r == null ? Bitmap.EMPTY : r, size - 1);
  }

  @SuppressWarnings("unchecked")
  void forEach(BiConsumer<? super K, ? super V> action) {
    root.forEach((BiConsumer<Object, Object>) action);
  }

  /** Visits every internal node (not keys or values): lets tests check structural sharing. */
  void forEachNode(Consumer<Object> visitor) {
    root.forEachNode(visitor);
  }

  private static int hash(Object key) {
    int h = key.hashCode();
    return h ^ (h >>> 16) ^ (h * 0x9E3779B9);
  }

  private interface Node {
    Object find(int shift, int hash, Object key);

    Node put(int shift, int hash, Object key, Object value, boolean[] added);

    /** The node without {@code key}: itself when absent, null when nothing is left. */
    Node remove(int shift, int hash, Object key);

    void forEach(BiConsumer<Object, Object> action);

    void forEachNode(Consumer<Object> visitor);

    /** {key, value} when this node holds exactly one entry and no child; else null. */
    Object[] singleEntry();
  }

  /** Up to 32 slots, present ones marked in {@code bitmap}; each is key+value or null+child. */
  private static final class Bitmap implements Node {
    static final Bitmap EMPTY = new Bitmap(0, new Object[0]);

    final int bitmap;
    final Object[] array;

    Bitmap(int bitmap, Object[] array) {
      this.bitmap = bitmap;
      this.array = array;
    }

    private int index(int bit) {
      return 2 * Integer.bitCount(bitmap & (bit - 1));
    }

    @Override
    public Object find(int shift, int hash, Object key) {
      int bit = 1 << ((hash >>> shift) & MASK);
      if ((bitmap & bit) == 0) {
        return null;
      }
      int i = index(bit);
      Object k = array[i];
      if (k == null) {
        return ((Node) array[i + 1]).find(shift + BITS, hash, key);
      }
      return key.equals(k) ? array[i + 1] : null;
    }

    @Override
    public Node put(int shift, int hash, Object key, Object value, boolean[] added) {
      int bit = 1 << ((hash >>> shift) & MASK);
      int i = index(bit);
      if ((bitmap & bit) == 0) {
        added[0] = true;
        var a = new Object[array.length + 2];
        System.arraycopy(array, 0, a, 0, i);
        a[i] = key;
        a[i + 1] = value;
        System.arraycopy(array, i, a, i + 2, array.length - i);
        return new Bitmap(bitmap | bit, a);
      }
      Object k = array[i];
      Object v = array[i + 1];
      if (k == null) {
        Node child = ((Node) v).put(shift + BITS, hash, key, value, added);
        return child == v ? this : with(i + 1, null, child);
      }
      if (key.equals(k)) {
        return v == value ? this : with(i + 1, k, value);
      }
      added[0] = true;
      return with(i + 1, null, pair(shift + BITS, hash(k), k, v, hash, key, value));
    }

    private Bitmap with(int valueIndex, Object key, Object value) {
      Object[] a = array.clone();
      a[valueIndex - 1] = key;
      a[valueIndex] = value;
      return new Bitmap(bitmap, a);
    }

    @Override
    public Node remove(int shift, int hash, Object key) {
      int bit = 1 << ((hash >>> shift) & MASK);
      if ((bitmap & bit) == 0) {
        return this;
      }
      int i = index(bit);
      Object k = array[i];
      if (k == null) {
        Node child = (Node) array[i + 1];
        Node n = child.remove(shift + BITS, hash, key);
        if (n == child) {
          return this;
        }
        if (n != null) {
          // A child left with one entry moves up, so the trie stays as shallow as a fresh one.
          Object[] single = n.singleEntry();
          return single == null ? with(i + 1, null, n) : with(i + 1, single[0], single[1]);
        }
      } else if (!key.equals(k)) {
        return this;
      }
      if (bitmap == bit) {
        return null;
      }
      var a = new Object[array.length - 2];
      System.arraycopy(array, 0, a, 0, i);
      System.arraycopy(array, i + 2, a, i, array.length - i - 2);
      return new Bitmap(bitmap & ~bit, a);
    }

    @Override
    public void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < array.length; i += 2) {
        if (array[i] == null) {
          ((Node) array[i + 1]).forEach(action);
        } else {
          action.accept(array[i], array[i + 1]);
        }
      }
    }

    @Override
    public Object[] singleEntry() {
      return array.length == 2 && array[0] != null ? array : null;
    }

    @Override
    public void forEachNode(Consumer<Object> visitor) {
      visitor.accept(this);
      for (int i = 0; i < array.length; i += 2) {
        if (array[i] == null) {
          ((Node) array[i + 1]).forEachNode(visitor);
        }
      }
    }
  }

  /** Keys whose whole 32-bit hashes are equal. */
  private static final class Collision implements Node {
    final int hash;
    final Object[] array; // key, value, key, value...

    Collision(int hash, Object[] array) {
      this.hash = hash;
      this.array = array;
    }

    private int indexOf(Object key) {
      for (int i = 0; i < array.length; i += 2) {
        if (key.equals(array[i])) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public Object find(int shift, int hash, Object key) {
      int i = indexOf(key);
      return i < 0 ? null : array[i + 1];
    }

    @Override
    public Node put(int shift, int hash, Object key, Object value, boolean[] added) {
      if (hash != this.hash) {
        // Nest this node one level down beside the new key.
        var nested = new Bitmap(1 << ((this.hash >>> shift) & MASK), new Object[] {null, this});
        return nested.put(shift, hash, key, value, added);
      }
      int i = indexOf(key);
      if (i >= 0) {
        if (array[i + 1] == value) {
          return this;
        }
        Object[] a = array.clone();
        a[i + 1] = value;
        return new Collision(hash, a);
      }
      added[0] = true;
      var a = java.util.Arrays.copyOf(array, array.length + 2);
      a[array.length] = key;
      a[array.length + 1] = value;
      return new Collision(hash, a);
    }

    @Override
    public Node remove(int shift, int hash, Object key) {
      int i = indexOf(key);
      if (i < 0) {
        return this;
      }
      if (array.length == 2) {
        return null;
      }
      var a = new Object[array.length - 2];
      System.arraycopy(array, 0, a, 0, i);
      System.arraycopy(array, i + 2, a, i, array.length - i - 2);
      return new Collision(hash, a);
    }

    @Override
    public void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < array.length; i += 2) {
        action.accept(array[i], array[i + 1]);
      }
    }

    @Override
    public Object[] singleEntry() {
      return array.length == 2 ? array : null;
    }

    @Override
    public void forEachNode(Consumer<Object> visitor) {
      visitor.accept(this);
    }
  }

  /** A node holding two keys whose hashes differ, or a collision node when they do not. */
  private static Node pair(int shift, int h1, Object k1, Object v1, int h2, Object k2, Object v2) {
    if (h1 == h2) {
      return new Collision(h1, new Object[] {k1, v1, k2, v2});
    }
    int b1 = (h1 >>> shift) & MASK;
    int b2 = (h2 >>> shift) & MASK;
    if (b1 == b2) {
      return new Bitmap(1 << b1, new Object[] {null, pair(shift + BITS, h1, k1, v1, h2, k2, v2)});
    }
    Object[] a = b1 < b2 ? new Object[] {k1, v1, k2, v2} : new Object[] {k2, v2, k1, v1};
    return new Bitmap((1 << b1) | (1 << b2), a);
  }
}
