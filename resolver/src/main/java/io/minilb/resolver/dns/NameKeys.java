package io.minilb.resolver.dns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The index's lookup keys for the names recently queried on one thread: a name asked again reuses
 * its key (a String whose hash is already computed) instead of allocating a new one per query.
 * Direct-mapped on the key's own hash; a miss makes the key and takes the slot. Bounded: {@value
 * #SLOTS} names (by default) of at most {@value #MAX_LENGTH} characters (about 200 KiB at most,
 * whatever names a flood of random subdomains brings); a longer name gets a key of its own each
 * time. Confined to one thread.
 */
final class NameKeys {

  static final int SLOTS = 1024;

  /** The longest name cached (service names are far shorter). */
  static final int MAX_LENGTH = 64;

  private final String[] keys;
  private final byte[][] names;

  NameKeys() {
    this(SLOTS);
  }

  /** A cache of {@code slots} names, a power of two. */
  NameKeys(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    keys = new String[slots];
    names = new byte[slots][];
  }

  /**
   * The key for the lower-case presentation name {@code name[0, n)}, whose {@link String#hashCode}
   * is {@code hash} (the caller computed it while reading the name).
   */
  String key(byte[] name, int n, int hash) {
    return key(name, 0, n, hash);
  }

  /** The key for {@code name[from, to)}, as {@link #key(byte[], int, int)}. */
  String key(byte[] name, int from, int to, int hash) {
    int slot = (hash ^ (hash >>> 16)) & (names.length - 1);
    byte[] held = names[slot];
    if (held != null && Arrays.equals(held, 0, held.length, name, from, to)) {
      return keys[slot];
    }
    String key = new String(name, from, to - from, StandardCharsets.ISO_8859_1);
    if (to - from > MAX_LENGTH) {
      return key;
    }
    names[slot] = Arrays.copyOfRange(name, from, to);
    keys[slot] = key;
    return key;
  }

  /** How many names are cached (for tests of what is cached). */
  int size() {
    int n = 0;
    for (byte[] b : names) {
      n += b == null ? 0 : 1;
    }
    return n;
  }

  /** How many characters the cached names hold in all (for tests of the bound). */
  long heldChars() {
    long n = 0;
    for (byte[] b : names) {
      n += b == null ? 0 : b.length;
    }
    return n;
  }
}
