package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Scrapes both processes' /metrics, /healthz and /readyz after real traffic. The resolver is the
 * shipped process, started with the jar, JVM flags and command line users run.
 */
class MetricsIT {

  private final Pipeline p = new Pipeline();
  private final HttpClient http = HttpClient.newHttpClient();
  private ShippedResolver shipped;

  @AfterEach
  void stop() {
    if (shipped != null) {
      shipped.close();
    }
    p.close();
  }

  @Test
  void bothProcesses_exposeTheExpectedSeries(@TempDir Path dir) throws Exception {
    p.startController();
    shipped =
        ShippedResolver.start(
            dir, "--controller", "127.0.0.1:" + p.grpcPort, "--node-name", "metrics-it");
    p.client.resource(EndToEndIT.service("default", "web", "minilb")).create();
    p.client.resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.1")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> query("web.default.minilb.").getSectionArray(1).length == 1);
    String nx = "minilb_resolver_queries_total{qtype=\"A\",rcode=\"NXDOMAIN\"}";
    double nxBefore = value(get(shipped.ops, "/metrics"), nx);
    query("nope.default.minilb.");
    await().atMost(Duration.ofSeconds(10)).until(() -> !p.statusWrites.isEmpty());

    String controller = get(p.controller.httpAddress(), "/metrics");
    String resolver = get(shipped.ops, "/metrics");

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
    assertThat(value(resolver, "minilb_resolver_query_duration_seconds_count"))
        .as("every answered query timed")
        .isGreaterThanOrEqualTo(2);
    assertThat(resolver)
        .contains(
            "minilb_resolver_query_duration_seconds_bucket{le=\"0.001\"}",
            "minilb_resolver_malformed_total",
            "minilb_resolver_tcp_connections",
            "minilb_resolver_snapshot_rrsets");

    assertThat(status(p.controller.httpAddress(), "/healthz")).isEqualTo(200);
    assertThat(status(p.controller.httpAddress(), "/readyz")).isEqualTo(200);
    assertThat(status(shipped.ops, "/readyz")).isEqualTo(200);
  }

  private Message query(String name) throws Exception {
    var resolver = new SimpleResolver(shipped.dns);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
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
