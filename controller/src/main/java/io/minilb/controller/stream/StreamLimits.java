package io.minilb.controller.stream;

import java.time.Duration;

/**
 * What one controller spends on record streams, whoever connects. Immutable and validated.
 *
 * @param maxSubscribers open streams in total ({@code --max-subscribers}); more are refused with
 *     RESOURCE_EXHAUSTED
 * @param maxStreamsPerConnection open streams on one connection ({@code
 *     --max-streams-per-connection}); more are refused with RESOURCE_EXHAUSTED (a resolver uses
 *     one)
 * @param sendBudgetBytes bytes of responses handed to the transport but not yet written to the
 *     socket, over all streams; a stream whose message does not fit waits its turn (a single
 *     message larger than the budget is sent when nothing else is pending)
 * @param drainTimeout how long a stream may take to read a message that holds part of the budget
 *     before it is ended with RESOURCE_EXHAUSTED
 */
public record StreamLimits(
    int maxSubscribers, int maxStreamsPerConnection, long sendBudgetBytes, Duration drainTimeout) {

  public static final int DEFAULT_MAX_SUBSCRIBERS = 1024;
  public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 2;
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  public StreamLimits {
    if (maxSubscribers < 1) {
      throw new IllegalArgumentException("--max-subscribers must be at least 1: " + maxSubscribers);
    }
    if (maxStreamsPerConnection < 1) {
      throw new IllegalArgumentException(
          "--max-streams-per-connection must be at least 1: " + maxStreamsPerConnection);
    }
    if (sendBudgetBytes < 1) {
      throw new IllegalArgumentException("the send budget must be positive: " + sendBudgetBytes);
    }
    if (drainTimeout == null || drainTimeout.isNegative() || drainTimeout.isZero()) {
      throw new IllegalArgumentException("the drain timeout must be positive: " + drainTimeout);
    }
  }

  /** The defaults, with a send budget of half the JVM's direct-memory limit. */
  public static StreamLimits defaults() {
    return of(DEFAULT_MAX_SUBSCRIBERS, DEFAULT_MAX_STREAMS_PER_CONNECTION);
  }

  /** The given caps, the default budget and drain timeout. */
  public static StreamLimits of(int maxSubscribers, int maxStreamsPerConnection) {
    return new StreamLimits(
        maxSubscribers,
        maxStreamsPerConnection,
        Math.max(1, DirectMemory.max() / 2),
        DEFAULT_DRAIN_TIMEOUT);
  }
}
