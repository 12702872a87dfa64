package io.minilb.resolver.hash;

/**
 * SipHash (Aumasson and Bernstein, 2012), a keyed 64-bit hash: SipHash-2-4 over bytes, the MAC of
 * RFC 9018 server cookies, and SipHash-1-3 over a string's UTF-16LE bytes, the keyed hash of the
 * name index (the variant Rust's and Python's hash tables use against hash flooding). One
 * implementation for both; pure and allocation-free.
 */
public final class SipHash {

  private SipHash() {}

  /**
   * The SipHash-2-4 of {@code data[0..length)} under the 128-bit key {@code k0 || k1}, where each
   * half is the little-endian reading of 8 key bytes. The result read little-endian is the
   * reference implementation's output bytes.
   */
  public static long hash24(long k0, long k1, byte[] data, int length) {
    return hash(k0, k1, 2, 4, data, length, null, 0);
  }

  /**
   * The SipHash-1-3 of the UTF-16LE bytes of {@code s.substring(from)}, keyed as {@link #hash24}.
   */
  public static long hash13(long k0, long k1, String s, int from) {
    return hash(k0, k1, 1, 3, null, 2 * (s.length() - from), s, from);
  }

  /**
   * SipHash-c-d of {@code length} bytes: {@code data}'s, or when it is null the chars of {@code s}
   * from {@code from} on, two bytes each, low byte first. Each 8-byte word, then the last one (the
   * leftover bytes and the length), goes through {@code c} rounds; then, after {@code v2 ^= 0xff},
   * {@code d} rounds, done as {@code d / c} more steps over an empty word (xoring zero changes
   * nothing), so the round is written once.
   */
  private static long hash(
      long k0, long k1, int c, int d, byte[] data, int length, String s, int from) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int whole = length & ~7;
    int words = whole / 8 + 1;
    for (int w = 0; w < words + d / c; w++) {
      long m;
      if (w < words - 1) {
        m = word(data, s, from, 8 * w, 8);
      } else if (w == words - 1) {
        m = ((long) length << 56) | word(data, s, from, whole, length - whole);
      } else {
        m = 0;
        if (w == words) {
          v2 ^= 0xff;
        }
      }
      v3 ^= m;
      for (int r = 0; r < c; r++) {
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
      v0 ^= m;
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  /**
   * Up to 8 bytes from byte {@code at}, little-endian: of {@code data}, or of {@code s}'s chars.
   */
  private static long word(byte[] data, String s, int from, int at, int n) {
    if (data != null) {
      return littleEndian(data, at, n);
    }
    long v = 0;
    for (int i = 0; i < n / 2; i++) {
      v |= (long) s.charAt(from + at / 2 + i) << (16 * i);
    }
    return v;
  }

  /** Up to 8 bytes from {@code at}, little-endian. */
  public static long littleEndian(byte[] b, int at, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFFL);
    }
    return v;
  }
}
