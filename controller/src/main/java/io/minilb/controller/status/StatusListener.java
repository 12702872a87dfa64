package io.minilb.controller.status;

import io.minilb.controller.view.ObjectKey;

/** Hears of Service status writes (metrics, Events, tests). Called on the writer's thread. */
public interface StatusListener {

  /** Does nothing: the production default. */
  StatusListener NONE = (service, status) -> {};

  /** A write that succeeded. */
  void written(ObjectKey service, DesiredStatus status);

  /** A write that failed for good (after retries). */
  default void failed(ObjectKey service, String reason) {}
}
