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
 * <p>Keys are strings, placed by {@link String#hashCode}: what a lookup key already caches (the
 * fast path computes it while reading the question), so a lookup adds no hashing. That hash has no
 * key, and whoever chooses names can make many that share it ({@link KeyedHash}); so keys whose
 * whole hash is equal sit in a {@code Collision} node holding a trie of its own, placed by the
 * per-process keyed hash, and a lookup, put or remove among n such keys costs O(log n), not a scan
 * of n. Only those keys ever pay the keyed hash. Keys whose keyed hashes are equal too (by chance:
 * an attacker cannot aim at an unknown key) share a small linear node. Null values are not allowed.
 */
final class HashTrie<V> {

  private static final int BITS = 5;
  private static final int MASK = (1 << BITS) - 1;
  private static final HashTrie<?> EMPTY = new HashTrie<>(Bitmap.EMPTY, 0);

  private final Node root;
  private final int size;

  private HashTrie(Node root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <V> HashTrie<V> empty() {
    return (HashTrie<V>) EMPTY;
  }

  /** A map of the entries of {@code map}, built in one pass (no intermediate versions). */
  static <V> HashTrie<V> of(java.util.Map<String, V> map) {
    var keys = new String[map.size()];
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
  static <V> HashTrie<V> of(String[] keys, Object[] values) {
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
    return new HashTrie<>(
        build(Level.PRIMARY, 0, hashes, keys, values, order, 0, n, new int[n]), n);
  }

  /**
   * The node for entries {@code order[from..to)}, whose {@code level} hashes {@code h} agree below
   * {@code shift}.
   */
  private static Node build(
      Level level,
      int shift,
      int[] h,
      String[] k,
      Object[] v,
      int[] order,
      int from,
      int to,
      int[] scratch) {
    boolean same = true;
    for (int i = from + 1; i < to && same; i++) {
      same = h[order[i]] == h[order[from]];
    }
    if (same && to - from > 1) {
      int hash = h[order[from]];
      if (level == Level.PRIMARY) {
        // These entries are placed: their slots of h are free to hold their keyed hashes.
        for (int i = from; i < to; i++) {
          h[order[i]] = KeyedHash.of(k[order[i]]);
        }
        return new Collision(hash, build(Level.KEYED, 0, h, k, v, order, from, to, scratch));
      }
      var a = new Object[2 * (to - from)];
      for (int i = from; i < to; i++) {
        a[2 * (i - from)] = k[order[i]];
        a[2 * (i - from) + 1] = v[order[i]];
      }
      return new Linear(hash, a);
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
        a[at + 1] = build(level, shift + BITS, h, k, v, order, lo, hi, scratch);
        at += 2;
      }
    }
    return new Bitmap(bitmap, a);
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(String key) {
    return (V) root.find(0, hash(key), key);
  }

  /** This map with {@code key} mapped to {@code value}; this map itself when nothing changes. */
  HashTrie<V> put(String key, V value) {
    Objects.requireNonNull(value, "value");
    boolean[] added = new boolean[1];
    Node r =
        root.put(Level.PRIMARY, 0, hash(Objects.requireNonNull(key, "key")), key, value, added);
    return r == root ? this : new HashTrie<>(r, added[0] ? size + 1 : size);
  }

  /** This map without {@code key}; this map itself when it has no such key. */
  HashTrie<V> remove(String key) {
    Node r = root.remove(0, hash(key), key);
    if (r == root) {
      return this;
    }
    return size == 1 ? empty() : new HashTrie<>(r == null ? Bitmap.EMPTY : r, size - 1);
  }

  @SuppressWarnings("unchecked")
  void forEach(BiConsumer<? super String, ? super V> action) {
    root.forEach((BiConsumer<String, Object>) action);
  }

  /** Visits every internal node (not keys or values): lets tests check structural sharing. */
  void forEachNode(Consumer<Object> visitor) {
    root.forEachNode(visitor);
  }

  /**
   * The most keys a lookup compares with {@code equals}: the most any node holds in a linear array
   * (1 when none does). Lets tests check that colliding keys do not make lookups scan.
   */
  int longestScan() {
    int[] most = {1};
    root.forEachNode(
        n -> {
          if (n instanceof Linear l) {
            most[0] = Math.max(most[0], l.array.length / 2);
          }
        });
    return most[0];
  }

  private static int hash(String key) {
    int h = key.hashCode();
    return h ^ (h >>> 16) ^ (h * 0x9E3779B9);
  }

  /** Which hash places keys: the map's own, or the keyed one inside a {@link Collision}. */
  private enum Level {
    PRIMARY {
      @Override
      int hash(String key) {
        return HashTrie.hash(key);
      }
    },
    KEYED {
      @Override
      int hash(String key) {
        return KeyedHash.of(key);
      }
    };

    abstract int hash(String key);
  }

  private interface Node {
    Object find(int shift, int hash, String key);

    /**
     * The node with {@code key} (whose {@code level} hash is {@code hash}) mapped to {@code value}.
     */
    Node put(Level level, int shift, int hash, String key, Object value, boolean[] added);

    /** The node without {@code key}: itself when absent, null when nothing is left. */
    Node remove(int shift, int hash, String key);

    void forEach(BiConsumer<String, Object> action);

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
    public Object find(int shift, int hash, String key) {
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
    public Node put(Level level, int shift, int hash, String key, Object value, boolean[] added) {
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
        Node child = ((Node) v).put(level, shift + BITS, hash, key, value, added);
        return child == v ? this : with(i + 1, null, child);
      }
      if (key.equals(k)) {
        return v == value ? this : with(i + 1, k, value);
      }
      added[0] = true;
      String s = (String) k;
      return with(i + 1, null, pair(level, shift + BITS, level.hash(s), s, v, hash, key, value));
    }

    private Bitmap with(int valueIndex, Object key, Object value) {
      Object[] a = array.clone();
      a[valueIndex - 1] = key;
      a[valueIndex] = value;
      return new Bitmap(bitmap, a);
    }

    @Override
    public Node remove(int shift, int hash, String key) {
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
    public void forEach(BiConsumer<String, Object> action) {
      for (int i = 0; i < array.length; i += 2) {
        if (array[i] == null) {
          ((Node) array[i + 1]).forEach(action);
        } else {
          action.accept((String) array[i], array[i + 1]);
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

  /**
   * Keys whose whole hashes are equal, in a trie of their own placed by their keyed hashes. Holds
   * at least two keys, except a last one left by removals, which its parent takes up.
   */
  private static final class Collision implements Node {
    final int hash;
    final Node keyed;

    Collision(int hash, Node keyed) {
      this.hash = hash;
      this.keyed = keyed;
    }

    @Override
    public Object find(int shift, int hash, String key) {
      return hash != this.hash ? null : keyed.find(0, KeyedHash.of(key), key);
    }

    @Override
    public Node put(Level level, int shift, int hash, String key, Object value, boolean[] added) {
      if (hash != this.hash) {
        return nest(this, this.hash, level, shift, hash, key, value, added);
      }
      Node k = keyed.put(Level.KEYED, 0, KeyedHash.of(key), key, value, added);
      return k == keyed ? this : new Collision(hash, k);
    }

    @Override
    public Node remove(int shift, int hash, String key) {
      if (hash != this.hash) {
        return this;
      }
      Node k = keyed.remove(0, KeyedHash.of(key), key);
      return k == keyed ? this : k == null ? null : new Collision(hash, k);
    }

    @Override
    public void forEach(BiConsumer<String, Object> action) {
      keyed.forEach(action);
    }

    @Override
    public Object[] singleEntry() {
      return keyed.singleEntry();
    }

    @Override
    public void forEachNode(Consumer<Object> visitor) {
      visitor.accept(this);
      keyed.forEachNode(visitor);
    }
  }

  /** Keys whose whole keyed hashes are equal too (by chance only), scanned in a linear array. */
  private static final class Linear implements Node {
    final int hash;
    final Object[] array; // key, value, key, value...

    Linear(int hash, Object[] array) {
      this.hash = hash;
      this.array = array;
    }

    private int indexOf(String key) {
      for (int i = 0; i < array.length; i += 2) {
        if (key.equals(array[i])) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public Object find(int shift, int hash, String key) {
      int i = indexOf(key);
      return i < 0 ? null : array[i + 1];
    }

    @Override
    public Node put(Level level, int shift, int hash, String key, Object value, boolean[] added) {
      if (hash != this.hash) {
        return nest(this, this.hash, level, shift, hash, key, value, added);
      }
      int i = indexOf(key);
      if (i >= 0) {
        if (array[i + 1] == value) {
          return this;
        }
        Object[] a = array.clone();
        a[i + 1] = value;
        return new Linear(hash, a);
      }
      added[0] = true;
      var a = java.util.Arrays.copyOf(array, array.length + 2);
      a[array.length] = key;
      a[array.length + 1] = value;
      return new Linear(hash, a);
    }

    @Override
    public Node remove(int shift, int hash, String key) {
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
      return new Linear(hash, a);
    }

    @Override
    public void forEach(BiConsumer<String, Object> action) {
      for (int i = 0; i < array.length; i += 2) {
        action.accept((String) array[i], array[i + 1]);
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

  /**
   * {@code node}, whose keys all hash to {@code nodeHash}, nested one level down beside {@code
   * key}, whose hash differs.
   */
  private static Node nest(
      Node node,
      int nodeHash,
      Level level,
      int shift,
      int hash,
      String key,
      Object value,
      boolean[] added) {
    var nested = new Bitmap(1 << ((nodeHash >>> shift) & MASK), new Object[] {null, node});
    return nested.put(level, shift, hash, key, value, added);
  }

  /**
   * A node holding two keys of {@code level} hashes {@code h1} and {@code h2}: below a bitmap node
   * when they differ, else in a collision node (keyed level: a linear one).
   */
  private static Node pair(
      Level level, int shift, int h1, String k1, Object v1, int h2, String k2, Object v2) {
    if (h1 == h2) {
      if (level == Level.PRIMARY) {
        return new Collision(
            h1, pair(Level.KEYED, 0, KeyedHash.of(k1), k1, v1, KeyedHash.of(k2), k2, v2));
      }
      return new Linear(h1, new Object[] {k1, v1, k2, v2});
    }
    int b1 = (h1 >>> shift) & MASK;
    int b2 = (h2 >>> shift) & MASK;
    if (b1 == b2) {
      return new Bitmap(
          1 << b1, new Object[] {null, pair(level, shift + BITS, h1, k1, v1, h2, k2, v2)});
    }
    Object[] a = b1 < b2 ? new Object[] {k1, v1, k2, v2} : new Object[] {k2, v2, k1, v1};
    return new Bitmap((1 << b1) | (1 << b2), a);
  }
}
