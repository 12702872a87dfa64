package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.resolver.it.Dig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every tested recipe of docs/ROUTER.md, run by the real Debian daemon against the shipped {@code
 * minilb demo}: {@code dig} through the daemon gets the pod IPs of a zone name, an Ingress host and
 * a {@code minilb/host} name. The DHCP option 121 output goes through each server's own checker.
 */
class RouterRecipesIT {

  /** The pod IPs that deploy/demo gives each kind of name. */
  private static final Map<String, Set<String>> PODS =
      Map.of(
          "web.default.minilb", Set.of("10.244.0.10", "10.244.1.11", "10.244.2.12"),
          "paperless.home.example", Set.of("10.244.0.176", "10.244.1.104"),
          "mqtt.home.example", Set.of("10.244.2.40"));

  @TempDir static Path dir;
  private static ShippedDemo demo;

  @BeforeAll
  static void startDemo() throws IOException {
    demo = ShippedDemo.start(dir);
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dnsmasq", "pihole"})
  void dnsmasq_withRebindProtection_answersEveryKindOfName_andThePodIpsPtr(String recipe)
      throws Exception {
    try (var d = dnsmasq(recipe, RouterDoc.atLocalResolver(recipe, demo.dnsPort))) {
      assertAnswersThePodIps(d.port, d.daemon);
      Dig ptr = Dig.run("dig", d.port, "-x", "10.244.2.40");
      assertThat(ptr.answer()).anyMatch(l -> l.endsWith(" PTR mqtt.automation.minilb."));
    }
  }

  /** The recipe this replaced whitelisted only {@code /minilb/}: the test must see that fail. */
  @Test
  void dnsmasq_whitelistingOnlyTheZone_dropsTheIngressHostAsRebinding() throws Exception {
    String recipe = RouterDoc.atLocalResolver("dnsmasq", demo.dnsPort);
    String zoneOnly = recipe.replaceAll("(?m)^rebind-domain-ok=.*$", "rebind-domain-ok=/minilb/");
    assertThat(zoneOnly).isNotEqualTo(recipe);

    try (var d = dnsmasq("dnsmasq-zone-only", zoneOnly)) {
      awaitIps(d.port, "web.default.minilb", d.daemon);
      assertThat(ips(Dig.run("dig", d.port, "paperless.home.example", "A"))).isEmpty();
      assertThat(d.daemon.log()).contains("possible DNS-rebind attack detected");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"unbound-forward", "unbound-stub"})
  void unbound_validating_answersEveryKindOfName(String recipe) throws Exception {
    try (var u = unbound(recipe, RouterDoc.atLocalResolver(recipe, demo.dnsPort))) {
      assertAnswersThePodIps(u.port, u.daemon);
      Dig web = Dig.run("dig", u.port, "web.default.minilb", "A");
      assertThat(web.flags()).contains("ra");
    }
  }

  /** Without {@code do-not-query-localhost: no}, Unbound never asks a resolver on 127.0.0.1. */
  @Test
  void unbound_withoutDoNotQueryLocalhost_servfails() throws Exception {
    String recipe = RouterDoc.atLocalResolver("unbound-forward", demo.dnsPort);
    String without = recipe.replaceAll("(?m)^\\s*do-not-query-localhost: no\\n", "");
    assertThat(without).isNotEqualTo(recipe);

    try (var u = unbound("unbound-localhost", without)) {
      assertThat(Dig.run("dig", u.port, "web.default.minilb", "A").status()).isEqualTo("SERVFAIL");
    }
  }

  @Test
  void dhcp121_theControllersOutputIsTheDocsBlock_andEachServerAcceptsIt() throws Exception {
    String served =
        ShippedDemo.get(demo.controllerHttp, "/routes?format=dhcp121&gateway=192.168.1.1");
    assertThat(served).isEqualTo(RouterDoc.recipe("dhcp121"));
    List<String> lines = served.lines().filter(l -> !l.startsWith("#")).toList();

    Path dnsmasqConf = write("dhcp121-dnsmasq.conf", lines.get(0) + "\n");
    assertAccepted(
        Daemon.check(List.of("dnsmasq", "--test", "--conf-file=" + dnsmasqConf), "dnsmasq-base"));

    Path dhcpd =
        write(
            "dhcpd.conf",
            lines.get(1)
                + "\nsubnet 192.168.1.0 netmask 255.255.255.0 {\n"
                + "  range 192.168.1.100 192.168.1.199;\n"
                + "  option routers 192.168.1.1;\n  "
                + lines.get(2)
                + "\n}\n");
    assertAccepted(
        Daemon.check(
            List.of("dhcpd", "-t", "-cf", dhcpd.toString(), "-lf", "/dev/null"),
            "isc-dhcp-server"));

    Path kea =
        write(
            "kea-dhcp4.conf",
            "{ \"Dhcp4\": { \"subnet4\": [ { \"subnet\": \"192.168.1.0/24\",\n"
                + "  \"pools\": [ { \"pool\": \"192.168.1.100 - 192.168.1.199\" } ],\n"
                + "  \"option-data\": [ { \"name\": \"routers\", \"data\": \"192.168.1.1\" },\n"
                + lines.get(3)
                + " ] } ] } }\n");
    assertAccepted(Daemon.check(List.of("kea-dhcp4", "-t", kea.toString()), "kea-dhcp4-server"));
  }

  @Test
  void dhcp121_withoutAGateway_isRefused_byTheEndpointAndTheCommand() throws Exception {
    var http = ShippedDemo.getResponse(demo.controllerHttp, "/routes?format=dhcp121");
    assertThat(http.statusCode()).isEqualTo(400);
    assertThat(http.body()).contains("gateway=IP", "RFC 3442");

    var refused = routesCommand("--format", "dhcp121");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.output().strip().lines())
        .singleElement()
        .asString()
        .contains("--gateway IP", "ignores the Router option");

    var printed = routesCommand("--format", "dhcp121", "--gateway", "192.168.1.1");
    assertThat(printed.code()).as(printed.output()).isZero();
    assertThat(printed.output()).isEqualTo(RouterDoc.recipe("dhcp121"));
  }

  /** {@code ./minilb routes} as the launcher runs it, against the demo's API server. */
  private static Daemon.Result routesCommand(String... args) throws Exception {
    var cmd = new ArrayList<String>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-cp",
            ShippedDemo.jar("controller", "minilb-controller.jar").toString(),
            "io.minilb.controller.RoutesMain",
            "--kubeconfig",
            demo.kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // the client may log its start-up; the command's own output is what remains
    String own =
        out.lines()
            .filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ +(INFO|DEBUG) .*"))
            .collect(Collectors.joining("\n", "", out.endsWith("\n") ? "\n" : ""));
    return new Daemon.Result(p.exitValue(), own);
  }

  private static void assertAccepted(Daemon.Result r) {
    assertThat(r.code()).as(r.output()).isZero();
  }

  private static void assertAnswersThePodIps(int port, Daemon daemon) throws Exception {
    for (var e : PODS.entrySet()) {
      awaitIps(port, e.getKey(), daemon);
    }
  }

  private static void awaitIps(int port, String name, Daemon daemon) throws Exception {
    var expected = PODS.get(name);
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> ips(Dig.run("dig", port, name, "A")), expected::equals);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          name
              + " through the daemon: "
              + Dig.run("dig", port, name, "A").raw()
              + "\ndaemon log:\n"
              + daemon.log(),
          e);
    }
  }

  private static Set<String> ips(Dig d) {
    return d.answer().stream()
        .filter(l -> l.contains(" IN A "))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .collect(Collectors.toSet());
  }

  private record Running(Daemon daemon, int port) implements AutoCloseable {
    @Override
    public void close() {
      daemon.close();
    }
  }

  /** dnsmasq as a router runs it (rebind protection on, as OpenWrt's default) plus the recipe. */
  private static Running dnsmasq(String name, String recipe) throws IOException {
    Path conf = write(name + ".conf", recipe);
    int port = ShippedDemo.freePort();
    var cmd =
        List.of(
            "dnsmasq",
            "--keep-in-foreground",
            "--conf-file=" + conf,
            "--port=" + port,
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--no-resolv",
            "--no-hosts",
            "--pid-file=" + dir.resolve(name + ".pid"),
            "--log-facility=-",
            "--stop-dns-rebind",
            // Pi-hole's defaults; harmless for the plain recipe
            "--domain-needed",
            "--bogus-priv");
    return new Running(Daemon.start(cmd, "dnsmasq-base", port, dir.resolve(name + ".log")), port);
  }

  /** A validating Unbound (root trust anchor, no internet needed) that includes the recipe. */
  private static Running unbound(String name, String recipe)
      throws IOException, InterruptedException {
    int port = ShippedDemo.freePort();
    return new Running(Daemon.unbound(dir, name, recipe, port, 1), port);
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
