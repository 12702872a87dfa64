package io.minilb.snapshot;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The rdata of one record in uncompressed DNS wire format (RFC 1035 section 3.3). Immutable: the
 * bytes are copied in and out. Ordered as unsigned bytes, so record sets have one canonical order.
 */
public final class Rdata implements Comparable<Rdata> {

  /** The largest rdata a record can carry (RDLENGTH is 16 bits). */
  public static final int MAX_LENGTH = 0xFFFF;

  private final byte[] bytes;
  private final int hash;

  private Rdata(byte[] bytes) {
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("rdata of " + bytes.length + " bytes");
    }
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Rdata holding a copy of {@code bytes}. */
  public static Rdata of(byte[] bytes) {
    return new Rdata(bytes.clone());
  }

  /** A copy of the wire bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public int compareTo(Rdata o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rdata r && hash == r.hash && Arrays.equals(bytes, r.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
