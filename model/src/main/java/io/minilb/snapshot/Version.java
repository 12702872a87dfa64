package io.minilb.snapshot;

/**
 * A snapshot version: {@code (epoch, sequence)}. The epoch is random and new each time a controller
 * becomes leader, so a version is never reused across failover; the sequence grows by one for each
 * published change within an epoch. Immutable.
 */
public record Version(long epoch, long sequence) {

  public Version {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
    }
  }

  public Version next() {
    return new Version(epoch, sequence + 1);
  }

  @Override
  public String toString() {
    return Long.toHexString(epoch) + "/" + sequence;
  }
}
