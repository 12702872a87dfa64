package io.minilb.demo;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The arithmetic Kubernetes applies to rollouts and disruption budgets, as in its sources:
 * deployment/util {@code ResolveFenceposts} (maxSurge rounds up, maxUnavailable rounds down, both 0
 * means unavailable 1) and the disruption controller ({@code disruptionsAllowed = currentHealthy -
 * desiredHealthy}, percentages rounded up).
 */
final class Rollouts {

  /** A Deployment's resolved fenceposts. */
  record Fenceposts(int surge, int unavailable) {}

  private Rollouts() {}

  static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v.getStrVal() == null) {
      return v.getIntVal();
    }
    double pct = Integer.parseInt(v.getStrVal().replace("%", "")) * total / 100.0;
    return (int) (roundUp ? Math.ceil(pct) : Math.floor(pct));
  }

  /** Deployment defaults are 25%/25% when the strategy leaves them unset. */
  static Fenceposts fenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
    int surge = scaled(maxSurge == null ? new IntOrString("25%") : maxSurge, replicas, true);
    int unavailable =
        scaled(maxUnavailable == null ? new IntOrString("25%") : maxUnavailable, replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new Fenceposts(surge, unavailable);
  }

  /**
   * Plays a rolling update of {@code replicas} pods step by step, as the deployment controller does
   * (scale the new set up within {@code replicas + surge}, scale the old set down while at least
   * {@code replicas - unavailable} stay available). New pods become available only when {@code
   * newPodsBecomeReady}. Returns the number of steps to finish, or -1 if the rollout stops making
   * progress.
   */
  static int stepsToComplete(int replicas, Fenceposts f, boolean newPodsBecomeReady) {
    int old = replicas;
    int fresh = 0;
    for (int step = 1; step <= 4 * replicas + 4; step++) {
      int scaleUp = Math.max(0, Math.min(replicas - fresh, replicas + f.surge() - old - fresh));
      fresh += scaleUp;
      int available = old + (newPodsBecomeReady ? fresh : 0);
      int scaleDown = Math.max(0, Math.min(old, available - (replicas - f.unavailable())));
      old -= scaleDown;
      if (old == 0 && fresh == replicas) {
        return step;
      }
      if (scaleUp == 0 && scaleDown == 0) {
        return -1;
      }
    }
    return -1;
  }

  /** How many pods the budget lets the eviction API remove now. */
  static int disruptionsAllowed(PodDisruptionBudget pdb, int expectedPods, int healthyPods) {
    var spec = pdb.getSpec();
    int desiredHealthy =
        spec.getMinAvailable() != null
            ? scaled(spec.getMinAvailable(), expectedPods, true)
            : expectedPods - scaled(spec.getMaxUnavailable(), expectedPods, true);
    return Math.max(0, healthyPods - Math.max(0, desiredHealthy));
  }
}
