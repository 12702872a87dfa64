package io.minilb.ops;

import java.io.IOException;

/** Answers one request on the ops port; it must call {@link OpsExchange#respond} once. */
@FunctionalInterface
public interface OpsHandler {
  void handle(OpsExchange exchange) throws IOException;
}
