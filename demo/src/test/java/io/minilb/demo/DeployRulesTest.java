package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;

/** The rules DeployRulesIT applies catch the failures issue 11 found in deploy/. */
class DeployRulesTest {

  private static PodSpec resolverLike(boolean hostPort) {
    return new PodSpecBuilder()
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(
            new ContainerBuilder()
                .withName("resolver")
                .addNewPort()
                .withContainerPort(5353)
                .withHostPort(hostPort ? 53 : null)
                .endPort()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .build())
        .build();
  }

  @Test
  void baseline_rejectsAHostPort_privilegedAdmitsIt() {
    assertThat(PodSecurity.BASELINE.violations(resolverLike(true)))
        .containsExactly("container resolver hostPort 53");
    assertThat(PodSecurity.PRIVILEGED.admits(resolverLike(true))).isTrue();
    assertThat(PodSecurity.strictestAdmitting(resolverLike(false)))
        .isEqualTo(PodSecurity.RESTRICTED);
  }

  @Test
  void restricted_rejectsAnAddedCapabilityOtherThanNetBindService() {
    PodSpec pod = resolverLike(false);
    pod.getContainers()
        .get(0)
        .getSecurityContext()
        .getCapabilities()
        .setAdd(java.util.List.of("NET_ADMIN"));

    assertThat(PodSecurity.RESTRICTED.violations(pod))
        .containsExactly("container resolver adds capability NET_ADMIN");
    assertThat(PodSecurity.BASELINE.violations(pod))
        .containsExactly("container resolver adds capability NET_ADMIN");
  }

  @Test
  void minAvailableOne_withOnlyTheLeaderReady_allowsNoEviction() {
    var pdb =
        new PodDisruptionBudgetBuilder()
            .withNewSpec()
            .withMinAvailable(new IntOrString(1))
            .endSpec()
            .build();

    assertThat(Rollouts.disruptionsAllowed(pdb, 2, 1)).isZero();
    assertThat(Rollouts.disruptionsAllowed(pdb, 2, 2)).isEqualTo(1);
  }

  @Test
  void defaultStrategyOnTwoReplicas_surgesOne_andStallsWhenNewPodsNeverBecomeReady() {
    var f = Rollouts.fenceposts(null, null, 2);

    assertThat(f).isEqualTo(new Rollouts.Fenceposts(1, 0));
    assertThat(Rollouts.stepsToComplete(2, f, false)).isEqualTo(-1);
    assertThat(Rollouts.stepsToComplete(2, f, true)).isPositive();
  }

  @Test
  void maxSurgeZeroMaxUnavailableOne_completesWithoutSpareCapacity() {
    var f = Rollouts.fenceposts(new IntOrString(0), new IntOrString(1), 2);

    assertThat(Rollouts.stepsToComplete(2, f, true)).isEqualTo(3);
  }

  @Test
  void bothFencepostsRoundingToZero_becomeOneUnavailable() {
    assertThat(Rollouts.fenceposts(new IntOrString("0%"), new IntOrString("10%"), 2))
        .isEqualTo(new Rollouts.Fenceposts(0, 1));
  }
}
