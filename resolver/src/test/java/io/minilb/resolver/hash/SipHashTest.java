package io.minilb.resolver.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reference vectors of the SipHash paper: key 00..0f, message 00..(n-1). */
class SipHashTest {

  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  private static long hashOfFirst(int n) {
    byte[] m = new byte[n];
    for (int i = 0; i < n; i++) {
      m[i] = (byte) i;
    }
    return SipHash.hash24(K0, K1, m, n);
  }

  @Test
  void matchesTheReferenceVectors_acrossTheBlockBoundary() {
    assertThat(hashOfFirst(0)).isEqualTo(0x726fdb47dd0e0e31L);
    assertThat(hashOfFirst(1)).isEqualTo(0x74f839c593dc67fdL);
    assertThat(hashOfFirst(7)).isEqualTo(0xab0200f58b01d137L);
    assertThat(hashOfFirst(8)).isEqualTo(0x93f5f5799a932462L);
    assertThat(hashOfFirst(15)).isEqualTo(0xa129ca6149be45e5L);
  }
}
