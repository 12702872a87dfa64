package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.hash.SipHash;
import java.util.HashSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyedHashTest {

  @Test
  void hash13_ofAString_isSipHash13OfItsUtf16LeBytes_fromAnyOffset() {
    var random = new Random(7);
    for (int length = 0; length <= 40; length++) {
      var chars = new char[length];
      for (int i = 0; i < length; i++) {
        chars[i] = (char) (i % 3 == 0 ? random.nextInt(0x10000) : 'a' + random.nextInt(26));
      }
      String s = new String(chars);
      long k0 = random.nextLong();
      long k1 = random.nextLong();
      for (int from = 0; from <= Math.min(length, 5); from++) {
        // By hand: an encoder would replace the lone surrogates some of these chars are.
        var bytes = new byte[2 * (length - from)];
        for (int i = from; i < length; i++) {
          bytes[2 * (i - from)] = (byte) chars[i];
          bytes[2 * (i - from) + 1] = (byte) (chars[i] >>> 8);
        }
        assertThat(SipHash.hash13(k0, k1, s, from))
            .as("length %d from %d", length, from)
            .isEqualTo(reference(1, 3, k0, k1, bytes));
      }
    }
  }

  @Test
  void reference_withTwoAndFourRounds_givesSipHash24sReferenceVectors() {
    long k0 = 0x0706050403020100L; // key bytes 00..0f
    long k1 = 0x0f0e0d0c0b0a0908L;
    var m = new byte[15];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) i;
    }
    assertThat(reference(2, 4, k0, k1, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
    assertThat(reference(2, 4, k0, k1, new byte[] {0})).isEqualTo(0x74f839c593dc67fdL);
    assertThat(reference(2, 4, k0, k1, m)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void namesSharingAHashCode_getDistinctKeyedHashes() {
    var hashes = new HashSet<Integer>();
    for (int i = 0; i < 1 << 12; i++) {
      hashes.add(KeyedHash.of(HashTrieTest.colliding(i, 12) + ".flood.minilb."));
    }
    // 4,096 names in 2^32 hashes: a chance meeting of two is about 0.2 %.
    assertThat(hashes.size()).isGreaterThanOrEqualTo((1 << 12) - 2);
    assertThat(KeyedHash.of("x.anc0.minilb.", 2)).isEqualTo(KeyedHash.of("anc0.minilb."));
  }

  /** SipHash-c-d over bytes, written from the paper. */
  private static long reference(int c, int d, long k0, long k1, byte[] m) {
    long[] v = {
      0x736f6d6570736575L ^ k0,
      0x646f72616e646f6dL ^ k1,
      0x6c7967656e657261L ^ k0,
      0x7465646279746573L ^ k1
    };
    int blocks = m.length / 8;
    for (int b = 0; b <= blocks; b++) {
      long word = b == blocks ? (long) (m.length & 0xff) << 56 : 0;
      for (int j = 0; j < 8 && 8 * b + j < m.length; j++) {
        word |= (m[8 * b + j] & 0xffL) << (8 * j);
      }
      v[3] ^= word;
      for (int r = 0; r < c; r++) {
        round(v);
      }
      v[0] ^= word;
    }
    v[2] ^= 0xff;
    for (int r = 0; r < d; r++) {
      round(v);
    }
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  private static void round(long[] v) {
    v[0] += v[1];
    v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
    v[0] = Long.rotateLeft(v[0], 32);
    v[2] += v[3];
    v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
    v[2] = Long.rotateLeft(v[2], 32);
  }
}
