package io.minilb.resolver.store;

import io.minilb.resolver.hash.SipHash;
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
    long h = SipHash.hash13(K0, K1, s, from);
    return (int) (h ^ (h >>> 32));
  }
}
