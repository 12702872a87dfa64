package io.minilb.demo;

import static io.minilb.demo.EndToEndIT.service;
import static io.minilb.demo.EndToEndIT.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.minilb.net.Cidr;
import io.minilb.resolver.it.Dig;
import io.minilb.resolver.xfr.TransferConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver as a primary: CRUD mock API → controller → resolver with {@code --allow-transfer},
 * and Debian's Unbound as its secondary, configured with the {@code unbound-auth-zone} recipe of
 * docs/ROUTER.md. Unbound pulls the zones by AXFR, answers from its own copy (there is no
 * forwarding in its configuration, and it goes on answering with the resolver stopped), and follows
 * an EndpointSlice change within 2 s through NOTIFY and IXFR. Also dig's view of IXFR from each
 * kind of serial, and a transfer from an address outside the allowed network.
 */
class ZoneTransferIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Pipeline p;
  private Daemon unbound;

  @BeforeEach
  void start() throws Exception {
    p = new Pipeline();
    p.startController();
    p.client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .endMetadata()
                .withNewSpec()
                .withPodCIDR("10.244.0.0/24")
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("192.168.1.30")
                .endAddress()
                .endStatus()
                .build())
        .create();
    p.client.resource(service("default", "web", "minilb")).create();
    p.client.resource(slice("default", "web-1", "web", "10.244.0.10", "10.244.0.11")).create();
  }

  @AfterEach
  void stop() {
    if (unbound != null) {
      unbound.close();
    }
    p.close();
  }

  private void startResolver(int notifyPort) throws Exception {
    var notify =
        notifyPort == 0
            ? List.<InetSocketAddress>of()
            : List.of(new InetSocketAddress("127.0.0.1", notifyPort));
    var transfer = new TransferConfig(List.of(Cidr.parse("127.0.0.1/32")), notify, null);
    p.startResolver(b -> b.transfer(transfer));
    await("the resolver has the service")
        .atMost(WAIT)
        .until(() -> ips(p.dnsPort(), "web.default.minilb").size() == 2);
  }

  @Test
  void unboundAsASecondary_answersFromItsOwnCopy_andFollowsAChangeWithin2s() throws Exception {
    int unboundPort = ShippedDemo.freePort();
    startResolver(unboundPort);
    unbound = unbound(unboundPort);

    await("Unbound transferred the zone")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> ips(unboundPort, "web.default.minilb"),
            Set.of("10.244.0.10", "10.244.0.11")::equals);
    Dig fromUnbound = Dig.run("dig", unboundPort, "web.default.minilb", "A");
    assertThat(fromUnbound.flags()).as("answered from its auth-zone").contains("aa");
    await("the reverse zone too")
        .atMost(WAIT)
        .until(
            () -> Dig.run("dig", unboundPort, "-x", "10.244.0.10").answer(),
            a -> a.stream().anyMatch(l -> l.endsWith("PTR web.default.minilb.")));

    long changed = System.nanoTime();
    p.client.resource(slice("default", "web-1", "web", "10.244.0.10", "10.244.0.12")).update();
    await("the change, through NOTIFY and IXFR")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> ips(unboundPort, "web.default.minilb"),
            Set.of("10.244.0.10", "10.244.0.12")::equals);
    Duration took = Duration.ofNanos(System.nanoTime() - changed);
    System.out.println(
        "EndpointSlice change to Unbound's changed answer: " + took.toMillis() + " ms");
    assertThat(took)
        .as("EndpointSlice change to Unbound's answer")
        .isLessThan(Duration.ofSeconds(2));
    String metrics = ShippedDemo.get(p.resolver.httpAddress().getPort(), "/metrics");
    assertThat(metrics)
        .contains("minilb_resolver_zone_transfers_total{kind=\"ixfr_incremental\"}")
        .contains("minilb_resolver_notifies_total{result=\"answered\"}");

    p.resolver.close();
    p.stopController();
    assertThat(ips(unboundPort, "web.default.minilb"))
        .as("the cluster is gone; the router still answers from its copy")
        .containsExactlyInAnyOrder("10.244.0.10", "10.244.0.12");
  }

  @Test
  void ixfr_withDig_fromTheCurrentSerial_aJournaledOne_andAnUnknownOne() throws Exception {
    startResolver(0);
    long before = serial();
    p.client.resource(slice("default", "web-1", "web", "10.244.0.10", "10.244.0.12")).update();
    await().atMost(WAIT).until(() -> serial() != before);
    long now = serial();

    var current = records(xfr("minilb.", "IXFR=" + now));
    assertThat(current).singleElement().asString().contains(" SOA ").contains(" " + now + " ");

    var incremental = records(xfr("minilb.", "IXFR=" + before));
    String currentSoa = incremental.get(0);
    assertThat(incremental)
        .as("current SOA, old SOA, deletions, new SOA, additions, current SOA")
        .containsSubsequence(
            currentSoa,
            soaLine(incremental, before),
            "web.default.minilb. 5 IN A 10.244.0.11",
            currentSoa,
            "web.default.minilb. 5 IN A 10.244.0.12",
            currentSoa)
        .doesNotContain("web.default.minilb. 5 IN A 10.244.0.10")
        .filteredOn(l -> l.contains(" SOA "))
        .hasSize(4);
    assertThat(incremental.get(incremental.size() - 1)).isEqualTo(currentSoa);

    var full = records(xfr("minilb.", "IXFR=1"));
    assertThat(full)
        .as("a serial the journal never held: the whole zone, as AXFR would send it")
        .contains(
            "web.default.minilb. 5 IN A 10.244.0.10", "web.default.minilb. 5 IN A 10.244.0.12")
        .doesNotContain("web.default.minilb. 5 IN A 10.244.0.11");
    assertThat(full.get(0)).isEqualTo(full.get(full.size() - 1)).contains(" " + now + " ");
    assertThat(records(xfr("minilb.", "AXFR"))).isEqualTo(full);
  }

  @Test
  void axfr_fromAnAddressThatIsNotAllowed_isRefused() throws Exception {
    startResolver(0);
    String refused = Dig.run("kdig", p.dnsPort(), "-b", "127.0.0.2", "minilb.", "AXFR").raw();
    assertThat(refused).contains("REFUSED");
    assertThat(records(refused)).isEmpty();
    String digRefused = Dig.run("dig", p.dnsPort(), "-b", "127.0.0.2", "minilb.", "AXFR").raw();
    assertThat(digRefused).contains("Transfer failed");
    assertThat(records(digRefused)).isEmpty();
    assertThat(records(xfr("minilb.", "AXFR"))).as("while 127.0.0.1 may").isNotEmpty();
  }

  private long serial() throws Exception {
    String soa = Dig.run("dig", p.dnsPort(), "+short", "minilb.", "SOA").raw().strip();
    return Long.parseLong(soa.split("\\s+")[2]);
  }

  private static String soaLine(List<String> records, long serial) {
    return records.stream()
        .filter(l -> l.contains(" SOA ") && l.contains(" " + serial + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no SOA " + serial + " in " + records));
  }

  private String xfr(String zone, String type) throws Exception {
    String out = Dig.run("dig", p.dnsPort(), zone, type).raw();
    assertThat(out).as(out).doesNotContain("Transfer failed");
    return out;
  }

  /** The record lines of dig output, whitespace-normalised. */
  private static List<String> records(String out) {
    return out.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith(";"))
        .map(l -> l.replaceAll("\\s+", " "))
        .toList();
  }

  private static Set<String> ips(int port, String name) throws Exception {
    return Dig.run("dig", port, name, "A").answer().stream()
        .filter(l -> l.contains(" IN A "))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .collect(Collectors.toSet());
  }

  /** Unbound on {@code port} with the recipe, its primaries pointed at this test's resolver. */
  private Daemon unbound(int port) throws IOException, InterruptedException {
    String recipe =
        RouterDoc.recipe("unbound-auth-zone")
            .replaceAll("(?m)^.*192\\.168\\.1\\.31.*\\n", "")
            .replace("192.168.1.30@53", "127.0.0.1@" + p.dnsPort())
            .replace("allow-notify: 192.168.1.30", "allow-notify: 127.0.0.1")
            .replace("/var/lib/unbound/", dir + "/");
    return Daemon.unbound(dir, "unbound", recipe, port, 2);
  }
}
