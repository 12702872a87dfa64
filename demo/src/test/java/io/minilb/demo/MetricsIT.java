package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Scrapes both processes' /metrics, /healthz and /readyz after real traffic. */
class MetricsIT {

  private final Pipeline p = new Pipeline();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void bothProcesses_exposeTheExpectedSeries() throws Exception {
    p.startController();
    p.startResolver();
    p.client.resource(EndToEndIT.service("default", "web", "minilb")).create();
    p.client.resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.1")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> p.query("web.default.minilb.", Type.A).getSectionArray(1).length == 1);
    String nx = "minilb_resolver_queries_total{qtype=\"A\",rcode=\"NXDOMAIN\"}";
    double nxBefore = value(get(p.resolverOps.address(), "/metrics"), nx);
    p.query("nope.default.minilb.", Type.A);
    await().atMost(Duration.ofSeconds(10)).until(() -> !p.statusWrites.isEmpty());

    String controller = get(p.controller.httpAddress(), "/metrics");
    String resolver = get(p.resolverOps.address(), "/metrics");

    assertThat(value(controller, "minilb_controller_leader")).isEqualTo(1);
    assertThat(value(controller, "minilb_controller_watched_objects{kind=\"Service\"}"))
        .isEqualTo(1);
    assertThat(value(controller, "minilb_controller_watched_objects{kind=\"EndpointSlice\"}"))
        .isEqualTo(1);
    assertThat(value(controller, "minilb_controller_connected_resolvers")).isEqualTo(1);
    assertThat(value(controller, "minilb_controller_rrsets")).isGreaterThanOrEqualTo(3);
    assertThat(value(controller, "minilb_controller_status_writes_total{result=\"ok\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(controller, "minilb_controller_snapshot_builds_total{result=\"published\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(controller)
        .contains(
            "minilb_controller_snapshot_build_seconds_bucket{le=\"0.001\"}",
            "jvm_memory_used_bytes");

    assertThat(value(resolver, "minilb_resolver_queries_total{qtype=\"A\",rcode=\"NOERROR\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(resolver, nx) - nxBefore).as("one NXDOMAIN counted").isEqualTo(1);
    assertThat(value(resolver, "minilb_resolver_stream_state{state=\"synced\"}")).isEqualTo(1);
    assertThat(value(resolver, "minilb_resolver_snapshot_sequence")).isGreaterThanOrEqualTo(1);
    assertThat(value(resolver, "minilb_resolver_snapshot_age_seconds")).isEqualTo(0);
    assertThat(resolver)
        .contains(
            "minilb_resolver_query_duration_seconds_bucket",
            "minilb_resolver_tcp_connections",
            "minilb_resolver_snapshot_rrsets");

    assertThat(status(p.controller.httpAddress(), "/healthz")).isEqualTo(200);
    assertThat(status(p.controller.httpAddress(), "/readyz")).isEqualTo(200);
    assertThat(status(p.resolverOps.address(), "/readyz")).isEqualTo(200);
  }

  private String get(InetSocketAddress a, String path) throws Exception {
    return http.send(request(a, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  private int status(InetSocketAddress a, String path) throws Exception {
    return http.send(request(a, path), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpRequest request(InetSocketAddress a, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path)).build();
  }

  private static double value(String exposition, String series) {
    var m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
    assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
