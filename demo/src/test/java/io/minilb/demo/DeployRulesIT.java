package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/ installs, rolls and drains by Kubernetes' own rules: the namespace's Pod Security level
 * admits every pod template, each PodDisruptionBudget lets one pod go when all are Ready, and every
 * rolling update can make progress and finish. Readiness is "synced", so every replica is Ready.
 */
class DeployRulesIT {

  private static final String ENFORCE = "pod-security.kubernetes.io/enforce";

  private final KubernetesClient client = new KubernetesClientBuilder().build();

  @AfterEach
  void close() {
    client.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "overlays/external-controller"})
  void theNamespacesEnforceLevel_admitsEveryPodTemplate(String dir) throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY.resolve(dir));
    Namespace ns = DeployManifestsIT.find(objects, Namespace.class, "minilb");
    PodSecurity enforce = PodSecurity.of(ns.getMetadata().getLabels().get(ENFORCE));

    assertThat(templates(objects)).isNotEmpty();
    templates(objects)
        .forEach(
            (name, t) ->
                assertThat(enforce.violations(t.getSpec()))
                    .as("%s under Pod Security %s", name, enforce)
                    .isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"."})
  void onlyTheResolversHostPort_keepsTheNamespaceFromRestricted(String dir) throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY.resolve(dir));
    var t = templates(objects);

    assertThat(PodSecurity.strictestAdmitting(t.get("Deployment/minilb-controller").getSpec()))
        .isEqualTo(PodSecurity.RESTRICTED);
    assertThat(PodSecurity.RESTRICTED.violations(t.get("DaemonSet/minilb-resolver").getSpec()))
        .containsExactlyInAnyOrder(
            "container resolver hostPort 53", "container resolver hostPort 53");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "overlays/external-controller"})
  void everyBudget_allowsOneEviction_whenAllItsPodsAreReady(String dir) throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY.resolve(dir));
    var budgets =
        objects.stream()
            .filter(PodDisruptionBudget.class::isInstance)
            .map(PodDisruptionBudget.class::cast)
            .toList();
    Deployment controller = DeployManifestsIT.find(objects, Deployment.class, "minilb-controller");
    int replicas = controller.getSpec().getReplicas();

    assertThat(budgets).as("the controller's budget").hasSize(1);
    for (PodDisruptionBudget pdb : budgets) {
      var selector = pdb.getSpec().getSelector().getMatchLabels();
      var covered =
          templates(objects).entrySet().stream()
              .filter(
                  e ->
                      e.getValue()
                          .getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(selector.entrySet()))
              .map(Map.Entry::getKey)
              .toList();
      assertThat(covered).as(pdb.getMetadata().getName()).hasSize(1);
      // The disruption controller needs a scale subresource for maxUnavailable or a percentage:
      // for DaemonSet pods it computes no expected count and allows no eviction at all.
      assertThat(covered.get(0))
          .as("%s must cover a Deployment (a DaemonSet has no scale)", pdb.getMetadata().getName())
          .startsWith("Deployment/");
      for (int n : List.of(replicas)) {
        assertThat(Rollouts.disruptionsAllowed(pdb, n, n))
            .as("%s with %d of %d pods Ready", pdb.getMetadata().getName(), n, n)
            .isGreaterThanOrEqualTo(1);
      }
    }
    var controllerPdb =
        DeployManifestsIT.find(objects, PodDisruptionBudget.class, "minilb-controller");
    // ...and never lets a drain take the last controller while the other is still down.
    assertThat(Rollouts.disruptionsAllowed(controllerPdb, replicas, replicas - 1)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "overlays/external-controller"})
  void theControllerRollout_makesProgressAndCompletes(String dir) throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY.resolve(dir));
    Deployment d = DeployManifestsIT.find(objects, Deployment.class, "minilb-controller");
    var strategy = d.getSpec().getStrategy();
    int replicas = d.getSpec().getReplicas();

    assertThat(strategy).as("an explicit strategy").isNotNull();
    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    var f =
        Rollouts.fenceposts(
            strategy.getRollingUpdate().getMaxSurge(),
            strategy.getRollingUpdate().getMaxUnavailable(),
            replicas);
    assertThat(f.surge() + f.unavailable()).isPositive();
    assertThat(f.unavailable()).as("one replica keeps serving").isLessThan(replicas);
    assertThat(Rollouts.stepsToComplete(replicas, f, true)).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "overlays/external-controller"})
  void theResolverRollout_neverSurgesOntoATakenHostPort(String dir) throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY.resolve(dir));
    DaemonSet ds = DeployManifestsIT.find(objects, DaemonSet.class, "minilb-resolver");
    var rolling = ds.getSpec().getUpdateStrategy().getRollingUpdate();
    boolean hostPorts =
        ds.getSpec().getTemplate().getSpec().getContainers().stream()
            .flatMap(c -> c.getPorts().stream())
            .anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0);

    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    for (int nodes : List.of(1, 2, 3, 5)) {
      // The DaemonSet controller rounds both up.
      int surge =
          rolling.getMaxSurge() == null ? 0 : Rollouts.scaled(rolling.getMaxSurge(), nodes, true);
      int unavailable = Rollouts.scaled(rolling.getMaxUnavailable(), nodes, true);
      if (hostPorts) {
        assertThat(surge).as("surge with hostPort on %d nodes", nodes).isZero();
      }
      assertThat(surge + unavailable).as("progress on %d nodes", nodes).isPositive();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "overlays/external-controller"})
  void resolvers_reachEveryReadyController_throughAHeadlessService(String dir) throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY.resolve(dir));
    Service svc = DeployManifestsIT.find(objects, Service.class, "minilb-controller");
    DaemonSet ds = DeployManifestsIT.find(objects, DaemonSet.class, "minilb-resolver");
    var args = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();

    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
    assertThat(args)
        .contains(
            "--controller=dns:///minilb-controller."
                + svc.getMetadata().getNamespace()
                + ".svc:"
                + svc.getSpec().getPorts().get(0).getPort());
  }

  /** Pod templates by "Kind/name". */
  private static Map<String, PodTemplateSpec> templates(List<HasMetadata> objects) {
    var out = new java.util.TreeMap<String, PodTemplateSpec>();
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d) {
        out.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate());
      } else if (o instanceof DaemonSet ds) {
        out.put("DaemonSet/" + ds.getMetadata().getName(), ds.getSpec().getTemplate());
      }
    }
    return out;
  }
}
