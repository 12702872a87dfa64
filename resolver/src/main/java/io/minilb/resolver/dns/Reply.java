package io.minilb.resolver.dns;

/** What the {@link Responder} does with one incoming message. */
sealed interface Reply {

  /** What the query's COOKIE option proved (RFC 7873). */
  enum Cookie {
    /** No cookie, or cookies are off. */
    NONE,
    /** A client cookie without a valid server cookie: the response carries a fresh one. */
    UNPROVEN,
    /** A valid server cookie: the source address is proven, so rate limiting spares it. */
    VALID
  }

  /** Send these bytes back now. */
  record Answer(byte[] wire, Cookie cookie) implements Reply {
    Answer(byte[] wire) {
      this(wire, Cookie.NONE);
    }
  }

  /** Send nothing: too short to be DNS, or a response rather than a query. */
  record Drop() implements Reply {}

  /** Handed to the upstream; the response (if any) arrives later through the callback. */
  record Forwarded() implements Reply {}

  /** Already sent, or being sent, through the callback: one or more messages (zone transfer). */
  record Sent() implements Reply {}

  /**
   * The response is in the caller's {@link QueryScratch}: the fast path built it there, so that the
   * transport copies it once, straight into its own buffer.
   */
  record Built() implements Reply {}

  Reply DROP = new Drop();
  Reply BUILT = new Built();
  Reply SENT = new Sent();
  Reply FORWARDED = new Forwarded();
}
