package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.resolver.it.Dig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as users start it: the shipped {@code minilb-demo.jar} with the system properties the
 * {@code minilb} launcher passes, queried with {@code dig} and changed with {@code kubectl}.
 */
class DemoIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Pattern DNS_ON = Pattern.compile("resolver synced, DNS on [^:]+:(\\d+)");
  private static final Pattern LEADING =
      Pattern.compile("controller (?:back and )?leading, pid (\\d+)");

  @TempDir Path tmp;
  private Process demo;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (demo != null) {
      demo.destroy();
      if (!demo.waitFor(15, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
  }

  @Test
  void killingTheController_neverStopsTheAnswers_andTheDemoBringsItBack() throws Exception {
    int dns = start(Path.of("..", "deploy", "demo"));
    long pid = leaderPid(0);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    int failures = 0;
    int queries = 0;
    long deadline = System.nanoTime() + START.toNanos();
    while (leaderPid(1) == 0 && System.nanoTime() < deadline) {
      queries++;
      if (!Dig.run("dig", dns, "web.default.minilb", "A").status().equals("NOERROR")) {
        failures++;
      }
    }

    assertThat(leaderPid(1)).as("a restarted controller leads").isPositive().isNotEqualTo(pid);
    assertThat(lines).anyMatch(l -> l.contains("(pid " + pid + ") exited"));
    assertThat(queries).isPositive();
    assertThat(failures).as("failed of %d queries", queries).isZero();
    // The new controller serves changes made after the restart.
    kubectl("-n", "default", "annotate", "svc", "web", "minilb/host=after-restart.home.example");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Dig.run("dig", dns, "after-restart.home.example", "A").answer().isEmpty());
  }

  @Test
  void gatewayCrdsWithStatusSubresources_resolveSeededAndPatchedStatus() throws Exception {
    Path cluster = tmp.resolve("cluster");
    Files.createDirectories(cluster);
    Files.copy(Path.of("..", "deploy", "demo", "gateway.yaml"), cluster.resolve("gateway.yaml"));
    Files.copy(Path.of("..", "deploy", "demo", "web.yaml"), cluster.resolve("web.yaml"));
    Files.writeString(
        cluster.resolve("00-crds.yaml"),
        crd("Gateway", "gateways") + "---\n" + crd("HTTPRoute", "httproutes"));
    int dns = start(cluster);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                addresses(dns, "grafana.home.example")
                    .equals(addresses(dns, "envoy-gateway.gateway.minilb")));
    assertThat(addresses(dns, "grafana.home.example")).isNotEmpty();
    // kubectl pages through the embedded API server's continue tokens to the same list.
    String whole = kubectl("get", "svc", "-A", "-o", "name", "--chunk-size=0");
    assertThat(whole.lines()).hasSizeGreaterThan(1);
    // One object a page, in key order: namespace default before gateway.
    assertThat(kubectl("get", "svc", "-A", "-o", "name", "--chunk-size=1").lines())
        .containsExactlyInAnyOrderElementsOf(whole.lines().toList())
        .containsExactly("service/web", "service/envoy-gateway");

    kubectl(
        "-n",
        "gateway",
        "patch",
        "gateway",
        "internal",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"value\":\"web.default.minilb\"}]}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                addresses(dns, "grafana.home.example")
                    .equals(addresses(dns, "web.default.minilb")));
    assertThat(addresses(dns, "web.default.minilb")).isNotEmpty();
  }

  private static String crd(String kind, String plural) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: %s.gateway.networking.k8s.io
        spec:
          group: gateway.networking.k8s.io
          names: {kind: %s, plural: %s, listKind: %sList, singular: %s}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """
        .formatted(plural, kind, plural, kind, kind.toLowerCase(java.util.Locale.ROOT));
  }

  private List<String> addresses(int dns, String name) throws Exception {
    return Dig.run("dig", dns, name, "A").answer().stream()
        .map(r -> r.substring(r.lastIndexOf(' ') + 1))
        .sorted()
        .toList();
  }

  /** Starts the demo as the launcher does; returns its DNS port. */
  private int start(Path cluster) throws Exception {
    Path jar = Path.of("target", "minilb-demo.jar");
    Path controller = Path.of("..", "controller", "target", "minilb-controller.jar");
    Path resolver = Path.of("..", "resolver", "target", "minilb-resolver.jar");
    Assumptions.assumeTrue(Rendered.onPath("kubectl") && Rendered.onPath("dig"), "kubectl and dig");
    assertThat(List.of(jar, controller, resolver)).allMatch(Files::isRegularFile);
    var cmd = new ArrayList<String>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(Children.jvmFlags());
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-Dminilb.home=" + Path.of("..").toAbsolutePath().normalize(),
            "-Dminilb.controller.classpath=" + controller.toAbsolutePath(),
            "-Dminilb.resolver.classpath=" + resolver.toAbsolutePath(),
            "-jar",
            jar.toString(),
            "--cluster",
            cluster.toAbsolutePath().toString(),
            "--dns-port",
            "0",
            "--kubeconfig-out",
            tmp.resolve("kubeconfig").toString()));
    demo = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread pump =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
              } catch (Exception ignored) {
                // the demo is gone
              }
            });
    pump.setDaemon(true);
    pump.start();
    await()
        .atMost(START)
        .failFast("the demo exited:\n" + String.join("\n", lines), () -> !demo.isAlive())
        .until(() -> lines.stream().anyMatch(l -> DNS_ON.matcher(l).find()));
    var m =
        lines.stream()
            .map(DNS_ON::matcher)
            .filter(java.util.regex.Matcher::find)
            .findFirst()
            .orElseThrow();
    return Integer.parseInt(m.group(1));
  }

  /** The PID in the {@code n}th "leading" progress line, 0 if there is none yet. */
  private long leaderPid(int n) {
    return lines.stream()
        .filter(l -> l.startsWith("minilb demo: "))
        .map(LEADING::matcher)
        .filter(java.util.regex.Matcher::find)
        .skip(n)
        .findFirst()
        .map(m -> Long.parseLong(m.group(1)))
        .orElse(0L);
  }

  private String kubectl(String... args) throws Exception {
    var cmd =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", tmp.resolve("kubeconfig").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
