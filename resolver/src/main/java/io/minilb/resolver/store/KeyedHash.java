package io.minilb.resolver.store;

import java.security.SecureRandom;

/**
 * A hash of names that whoever chooses the names cannot make collide: SipHash-1-3 (Aumasson and
 * Bernstein; the variant Rust's and Python's hash tables use against hash flooding) of a string's
 * UTF-16 code units, read as little-endian bytes, under a 128-bit key drawn once per process.
 * {@link String#hashCode} has no key, so colliding names are easy to make from valid DNS labels
 * ({@code "an"} and {@code "c0"} hash alike, so do any names made of such blocks); tenants choose
 * names (Ingress hosts, {@code minilb/host}), so the index's structures must not degrade when many
 * names share a {@code hashCode}. Pure and allocation-free; thread-safe.
 */
final class KeyedHash {

  private static final long K0;
  private static final long K1;

  static {
    var random = new SecureRandom();
    K0 = random.nextLong();
    K1 = random.nextLong();
  }

  private KeyedHash() {}

  /** The keyed hash of {@code s}. */
  static int of(String s) {
    return of(s, 0);
  }

  /** The keyed hash of {@code s.substring(from)}, without the substring. */
  static int of(String s, int from) {
    long h = sipHash13(K0, K1, s, from);
    return (int) (h ^ (h >>> 32));
  }

  /**
   * SipHash-1-3 of the UTF-16LE bytes of {@code s.substring(from)} under the key {@code k0 || k1}
   * (each half the little-endian reading of 8 key bytes).
   */
  static long sipHash13(long k0, long k1, String s, int from) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int n = s.length();
    int i = from;
    // Four chars make each 8-byte word; then the last word (leftover chars and the byte length).
    for (int end = from + ((n - from) & ~3); i < end; i += 4) {
      long m =
          s.charAt(i)
              | (long) s.charAt(i + 1) << 16
              | (long) s.charAt(i + 2) << 32
              | (long) s.charAt(i + 3) << 48;
      v3 ^= m;
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
      v0 ^= m;
    }
    long m = (long) (2 * (n - from)) << 56;
    for (int shift = 0; i < n; i++, shift += 16) {
      m |= (long) s.charAt(i) << shift;
    }
    v3 ^= m;
    for (int r = 0; r < 4; r++) {
      // The last word's one compression round, then (after v2 ^= 0xff) three finalization rounds.
      if (r == 1) {
        v0 ^= m;
        v2 ^= 0xff;
      }
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
