package io.minilb.resolver.dns;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash, the MAC of RFC 9018 server
 * cookies. Pure and allocation-free.
 */
final class SipHash {

  private SipHash() {}

  /**
   * The SipHash-2-4 of {@code data[0..length)} under the 128-bit key {@code k0 || k1}, where each
   * half is the little-endian reading of 8 key bytes. The result read little-endian is the
   * reference implementation's output bytes.
   */
  static long hash(long k0, long k1, byte[] data, int length) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int blocks = length & ~7;
    // Each 8-byte word, then the last one (the leftover bytes and the length): two rounds each.
    for (int i = 0; i <= blocks; i += 8) {
      long m =
          i < blocks
              ? littleEndian(data, i, 8)
              : ((long) length << 56) | littleEndian(data, blocks, length - blocks);
      v3 ^= m;
      for (int r = 0; r < 2; r++) {
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
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++) {
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

  /** Up to 8 bytes from {@code at}, little-endian. */
  static long littleEndian(byte[] b, int at, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFFL);
    }
    return v;
  }
}
