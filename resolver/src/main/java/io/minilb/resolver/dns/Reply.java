package io.minilb.resolver.dns;

/** What the {@link Responder} does with one incoming message. */
sealed interface Reply {

  /** Send these bytes back now. */
  record Answer(byte[] wire) implements Reply {}

  /** Send nothing: too short to be DNS, or a response rather than a query. */
  record Drop() implements Reply {}

  /** Handed to the upstream; the response (if any) arrives later through the callback. */
  record Forwarded() implements Reply {}

  /** Already sent, or being sent, through the callback: one or more messages (zone transfer). */
  record Sent() implements Reply {}

  Reply DROP = new Drop();
  Reply SENT = new Sent();
  Reply FORWARDED = new Forwarded();
}
