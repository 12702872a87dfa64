package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minilb.cli.EnvDefaults;
import io.minilb.controller.ControllerMain;
import io.minilb.resolver.ResolverMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** deploy/ renders, validates against the Kubernetes schema, and agrees with the code. */
class DeployManifestsIT {

  private final KubernetesClient client = new KubernetesClientBuilder().build();

  @AfterEach
  void close() {
    client.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "overlays/external-controller"})
  void everyRenderedObject_validatesAgainstTheKubernetesSchema(String dir) throws Exception {
    String yaml = Rendered.yaml(Rendered.DEPLOY.resolve(dir));
    Path script = Path.of("..", "tools", "manifest-check", "validate.mjs");
    Assumptions.assumeTrue(
        Rendered.onPath("node") && script.resolveSibling("node_modules").toFile().isDirectory(),
        "node and tools/manifest-check/node_modules are needed (npm install there)");
    Process p = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(yaml.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines().filter(l -> l.startsWith("valid ")))
        .hasSize(Rendered.objects(client, Rendered.DEPLOY.resolve(dir)).size());
  }

  @Test
  void theOverlay_exposesTheStreamOnANodePort() throws Exception {
    Service svc =
        find(
            Rendered.objects(client, Rendered.DEPLOY.resolve("overlays/external-controller")),
            Service.class,
            "minilb-controller-external");

    assertThat(svc.getSpec().getType()).isEqualTo("NodePort");
    assertThat(svc.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30953);
    assertThat(svc.getSpec().getSelector())
        .isEqualTo(
            find(Rendered.objects(client, Rendered.DEPLOY), Deployment.class, "minilb-controller")
                .getSpec()
                .getSelector()
                .getMatchLabels());
  }

  @Test
  void crossReferences_hold() throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY);
    Deployment controller = find(objects, Deployment.class, "minilb-controller");
    DaemonSet resolver = find(objects, DaemonSet.class, "minilb-resolver");
    Service svc = find(objects, Service.class, "minilb-controller");
    PodSpec cPod = controller.getSpec().getTemplate().getSpec();
    PodSpec rPod = resolver.getSpec().getTemplate().getSpec();
    Container c = cPod.getContainers().get(0);
    Container r = rPod.getContainers().get(0);

    assertThat(controller.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(controller.getSpec().getReplicas()).isEqualTo(2);
    String targetPort = svc.getSpec().getPorts().get(0).getTargetPort().getStrVal();
    var grpcPort =
        c.getPorts().stream().filter(p -> p.getName().equals(targetPort)).findFirst().orElseThrow();
    assertThat(arg(c, "--grpc-listen")).endsWith(":" + grpcPort.getContainerPort());
    assertThat(arg(r, "--controller"))
        .isEqualTo(
            "dns:///"
                + svc.getMetadata().getName()
                + "."
                + svc.getMetadata().getNamespace()
                + ".svc:"
                + svc.getSpec().getPorts().get(0).getPort());
    assertThat(cPod.getServiceAccountName()).isEqualTo("minilb-controller");

    var dns = r.getPorts().stream().filter(p -> p.getHostPort() != null).toList();
    assertThat(dns)
        .extracting(p -> p.getProtocol() + "/" + p.getHostPort() + "->" + p.getContainerPort())
        .containsExactlyInAnyOrder("UDP/53->5353", "TCP/53->5353");
    assertThat(arg(r, "--listen")).endsWith(":5353");
    assertThat(rPod.getAutomountServiceAccountToken()).isFalse();
    assertThat(rPod.getTolerations())
        .anyMatch(t -> "node-role.kubernetes.io/control-plane".equals(t.getKey()));

    for (Container k : List.of(c, r)) {
      int http =
          k.getPorts().stream()
              .filter(p -> p.getName().equals("http"))
              .findFirst()
              .orElseThrow()
              .getContainerPort();
      assertThat(arg(k, "--http-listen")).endsWith(":" + http);
      assertThat(k.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(k.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(k.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(k.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(k.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(k.getResources().getLimits()).containsKey("memory");
    }
    for (PodSpec pod : List.of(cPod, rPod)) {
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
    }
    assertThat(objects).filteredOn(o -> o.getKind().equals("PodDisruptionBudget")).hasSize(1);
  }

  @Test
  void everyFlagAndVariableInTheManifests_isOneTheCodeAccepts() throws Exception {
    var objects = Rendered.objects(client, Rendered.DEPLOY);
    Map<String, Set<String>> accepted =
        Map.of(
            "minilb-controller", options(new ControllerMain()),
            "minilb-resolver", options(new ResolverMain()));
    for (var entry : accepted.entrySet()) {
      HasMetadata workload =
          objects.stream()
              .filter(
                  o ->
                      o.getMetadata().getName().equals(entry.getKey())
                          && (o instanceof Deployment || o instanceof DaemonSet))
              .findFirst()
              .orElseThrow();
      Container k =
          workload instanceof Deployment d
              ? d.getSpec().getTemplate().getSpec().getContainers().get(0)
              : ((DaemonSet) workload).getSpec().getTemplate().getSpec().getContainers().get(0);
      for (String a : k.getArgs()) {
        assertThat(entry.getValue()).as(entry.getKey() + " arg " + a).contains(a.split("=")[0]);
      }
      for (var env : k.getEnv()) {
        if (env.getName().startsWith(EnvDefaults.PREFIX)) {
          assertThat(
                  entry.getValue().stream()
                      .map(EnvDefaults::variableFor)
                      .collect(Collectors.toSet()))
              .as(entry.getKey() + " env " + env.getName())
              .contains(env.getName());
        }
      }
    }
  }

  static Set<String> options(Object command) {
    return new CommandLine(command)
        .getCommandSpec().options().stream().map(o -> o.longestName()).collect(Collectors.toSet());
  }

  private static String arg(Container c, String flag) {
    return c.getArgs().stream()
        .filter(a -> a.startsWith(flag + "="))
        .map(a -> a.substring(flag.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError(flag + " not in " + c.getArgs()));
  }

  static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
