package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.resolver.it.Dig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Hostile Services through the real fabric8 client and the CRUD mock API server: claims on the
 * apex, the NS name, a namespace, another Service and the reverse zone; 25,000 names in one
 * annotation; 5,000 ready endpoints; loopback and multicast endpoints; a full-width TTL. Each gets
 * its Warning Event, nothing forbidden reaches DNS, and a well-behaved Service answers as before.
 */
class HostileInputIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private final Pipeline p = new Pipeline();

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void hostileServices_getWarnings_andNothingForbiddenIsPublished() throws Exception {
    p.client.resource(EndToEndIT.node("node-a", "10.244.0.0/24")).create();
    // every real cluster has it; it makes "default" a namespace with a Service
    p.client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("kubernetes")
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .endSpec()
                .build())
        .create();
    p.client.resource(EndToEndIT.service("good", "web", "minilb")).create();
    p.client
        .resource(EndToEndIT.slice("good", "web-1", "web", "10.244.0.10", "10.244.0.11"))
        .create();
    var zone =
        new ZoneConfig(
            "minilb", "minilb", 5, null, false, null, List.of(InetAddress.getByName("192.0.2.53")));
    p.startController(b -> b.zone(zone));
    p.startResolver();
    await()
        .atMost(WAIT)
        .until(() -> addresses("web.good.minilb.").equals(Set.of("10.244.0.10", "10.244.0.11")));

    p.client
        .resource(
            annotated(
                "thief",
                Map.of(
                    "minilb/host",
                    "minilb, ns.minilb, default.minilb, good.minilb, web.good.minilb,"
                        + " x.web.good.minilb, 10.0.244.10.in-addr.arpa, ok.thief.example")))
        .create();
    p.client.resource(EndToEndIT.slice("evil", "thief-1", "thief", "10.244.0.66")).create();
    String names =
        IntStream.range(0, 25_000).mapToObj(i -> "h" + i + ".io").collect(Collectors.joining(","));
    assertThat(names.length()).isGreaterThan(200_000);
    p.client.resource(annotated("hosts", Map.of("minilb/host", names))).create();
    p.client.resource(EndToEndIT.slice("evil", "hosts-1", "hosts", "10.244.0.67")).create();
    p.client.resource(EndToEndIT.service("evil", "big", "minilb")).create();
    for (EndpointSlice s : bigSlices()) {
      p.client.resource(s).create();
    }
    p.client.resource(EndToEndIT.service("evil", "lo", "minilb")).create();
    p.client
        .resource(
            EndToEndIT.slice(
                "evil",
                "lo-1",
                "lo",
                "127.0.0.1",
                "224.0.0.1",
                "0.0.0.0",
                "255.255.255.255",
                "169.254.0.9",
                "10.244.0.70"))
        .create();
    p.client.resource(annotated("ttl", Map.of("minilb/ttl", "１０"))).create();
    p.client.resource(EndToEndIT.slice("evil", "ttl-1", "ttl", "10.244.0.71")).create();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("evil"))
                    .contains(
                        "Warning HostRefused Service/thief",
                        "Warning TooManyHosts Service/hosts",
                        "Warning TooManyEndpoints Service/big",
                        "Warning InvalidAddress Service/lo",
                        "Warning InvalidTTL Service/ttl"));
    assertThat(messages("evil", "HostRefused"))
        .containsExactlyInAnyOrder(
            "minilb: refused: the zone apex is reserved",
            "ns.minilb: refused: the name server name ns.minilb is reserved",
            "default.minilb: refused: default is a namespace: its name holds the names of its"
                + " Services",
            "good.minilb: refused: good is a namespace: its name holds the names of its Services",
            "web.good.minilb, x.web.good.minilb: refused: names of the form"
                + " <service>.<namespace>.minilb and every name below them belong to Services",
            "10.0.244.10.in-addr.arpa: refused: names under arpa are reserved for the PTR records"
                + " minilb publishes");
    assertThat(messages("evil", "InvalidAddress"))
        .singleElement()
        .asString()
        .contains("127.0.0.1 (loopback)", "224.0.0.1 (multicast)", "0.0.0.0 (unspecified)");
    await().atMost(WAIT).until(() -> addresses("ttl.evil.minilb.").equals(Set.of("10.244.0.71")));

    Dig ns = Dig.run("dig", p.dnsPort(), "+norec", "minilb", "NS");
    assertThat(ns.answer()).containsExactly("minilb. 5 IN NS ns.minilb.");
    assertThat(ns.additional()).containsExactly("ns.minilb. 5 IN A 192.0.2.53");
    assertThat(Dig.run("dig", p.dnsPort(), "minilb", "A").answer()).isEmpty();
    assertThat(Dig.run("dig", p.dnsPort(), "ns.minilb", "A").answer())
        .containsExactly("ns.minilb. 5 IN A 192.0.2.53");
    assertThat(Dig.run("dig", p.dnsPort(), "default.minilb", "A").answer()).isEmpty();
    assertThat(Dig.run("dig", p.dnsPort(), "good.minilb", "A").answer()).isEmpty();
    assertThat(Dig.run("dig", p.dnsPort(), "x.web.good.minilb", "A").answer()).isEmpty();
    assertThat(addresses("web.good.minilb."))
        .containsExactlyInAnyOrder("10.244.0.10", "10.244.0.11");
    assertThat(Dig.run("dig", p.dnsPort(), "-x", "10.244.0.10").answer())
        .containsExactlyInAnyOrder(
            "10.0.244.10.in-addr.arpa. 5 IN PTR 10-244-0-10.web.good.minilb.",
            "10.0.244.10.in-addr.arpa. 5 IN PTR web.good.minilb.");
    assertThat(addresses("ok.thief.example.")).containsExactly("10.244.0.66");

    assertThat(addresses("h0.io.")).containsExactly("10.244.0.67");
    assertThat(addresses("h99.io.")).containsExactly("10.244.0.67");
    assertThat(Dig.run("dig", p.dnsPort(), "h100.io", "A").status()).isEqualTo("REFUSED");
    assertThat(Dig.run("dig", p.dnsPort(), "h24999.io", "A").status()).isEqualTo("REFUSED");

    Dig big = Dig.run("dig", p.dnsPort(), "+tcp", "big.evil.minilb", "A");
    assertThat(big.status()).isEqualTo("NOERROR");
    assertThat(big.answer()).isNotEmpty().hasSizeLessThanOrEqualTo(1_000);

    assertThat(addresses("lo.evil.minilb.")).containsExactly("10.244.0.70");
    assertThat(Dig.run("dig", p.dnsPort(), "ttl.evil.minilb", "A").answer())
        .containsExactly("ttl.evil.minilb. 5 IN A 10.244.0.71");
  }

  private static Service annotated(String name, Map<String, String> annotations) {
    return new ServiceBuilder(EndToEndIT.service("evil", name, "minilb"))
        .editMetadata()
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  /** 5,000 ready endpoints in 50 slices of 100, as the EndpointSlice controller cuts them. */
  private static List<EndpointSlice> bigSlices() {
    var out = new ArrayList<EndpointSlice>();
    for (int s = 0; s < 50; s++) {
      int third = s;
      String[] ips =
          IntStream.range(0, 100)
              .mapToObj(i -> "10.245." + third + "." + (i + 1))
              .toArray(String[]::new);
      out.add(EndToEndIT.slice("evil", "big-" + s, "big", ips));
    }
    return out;
  }

  private Set<String> events(String namespace) {
    return p.client.v1().events().inNamespace(namespace).list().getItems().stream()
        .map(
            (Event e) ->
                e.getType()
                    + " "
                    + e.getReason()
                    + " "
                    + e.getInvolvedObject().getKind()
                    + "/"
                    + e.getInvolvedObject().getName())
        .collect(Collectors.toSet());
  }

  private List<String> messages(String namespace, String reason) {
    return p.client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }

  private Set<String> addresses(String name) throws Exception {
    return p.query(name, Type.A).getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }
}
