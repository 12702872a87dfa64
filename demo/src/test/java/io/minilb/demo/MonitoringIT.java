package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.minilb.resolver.it.Dig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/monitoring: it renders, its alerts pass promtool's checks and unit tests, and every metric
 * its alerts and dashboard name is on a real scrape of the shipped controller and resolver.
 */
class MonitoringIT {

  private static final Path DIR = ShippedDemo.HOME.resolve("deploy").resolve("monitoring");
  private static final KubernetesSerialization SERDE = new KubernetesSerialization();

  @TempDir Path tmp;

  @Test
  void theComponent_rendersPodMonitorsRulesAndTheDashboardConfigMap() throws Exception {
    List<HasMetadata> objects;
    try (var client = new KubernetesClientBuilder().build()) {
      objects = Rendered.objects(client, Rendered.DEPLOY.resolve("overlays/monitoring"));
    }
    var kinds = objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    ConfigMap dashboard =
        objects.stream()
            .filter(ConfigMap.class::isInstance)
            .map(ConfigMap.class::cast)
            .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard")))
            .findFirst()
            .orElseThrow();

    assertThat(kinds)
        .contains(
            "PodMonitor/minilb-controller",
            "PodMonitor/minilb-resolver",
            "PrometheusRule/minilb",
            "ConfigMap/minilb-grafana-dashboard",
            "Deployment/minilb-controller",
            "DaemonSet/minilb-resolver");
    assertThat(dashboard.getData().get("minilb.json"))
        .isEqualTo(Files.readString(DIR.resolve("dashboard.json")));
  }

  @Test
  void promtool_checksTheRules_andTheAlertUnitTestsPass() throws Exception {
    Path rules = tmp.resolve("minilb-alerts.yaml");
    Files.writeString(rules, SERDE.asYaml(Map.of("groups", groups())));
    Path tests = Files.copy(DIR.resolve("tests/alerts-test.yaml"), tmp.resolve("alerts-test.yaml"));

    var check = Daemon.check(List.of("promtool", "check", "rules", rules.toString()), "prometheus");
    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 6 rules found");

    var test = Daemon.check(List.of("promtool", "test", "rules", tests.toString()), "prometheus");
    assertThat(test.code()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void everyMetricInTheAlertsAndTheDashboard_isOnAScrapeOfTheShippedProcesses() throws Exception {
    Set<String> used = new TreeSet<>();
    for (String expr : expressions()) {
      used.addAll(metricNames(expr));
    }
    assertThat(used).contains("minilb_controller_leader", "minilb_resolver_queries_total");

    try (var demo = ShippedDemo.start(tmp)) {
      // One answered query and one garbage packet, so the labelled counters have a series.
      assertThat(Dig.run("dig", demo.dnsPort, "web.default.minilb", "A").answer()).isNotEmpty();
      try (var s = new DatagramSocket()) {
        byte[] garbage = {1, 2, 3};
        s.send(
            new DatagramPacket(
                garbage, garbage.length, InetAddress.getLoopbackAddress(), demo.dnsPort));
      }
      var missing = new TreeSet<String>();
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  Set<String> scraped =
                      seriesNames(ShippedDemo.get(demo.controllerHttp, "/metrics"));
                  scraped.addAll(seriesNames(ShippedDemo.get(demo.resolverHttp, "/metrics")));
                  missing.clear();
                  used.stream().filter(n -> !scraped.contains(n)).forEach(missing::add);
                  return missing.isEmpty();
                });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // reported below with the names
      }
      assertThat(missing)
          .as("metrics named in deploy/monitoring but absent from the shipped processes' /metrics")
          .isEmpty();
    }
  }

  @Test
  void metricNames_areTheSeriesOfAnExpression_notItsFunctionsLabelsOrKeywords() {
    assertThat(
            metricNames(
                "max(minilb_controller_connected_resolvers) < count(kube_node_info) or"
                    + " sum by (rcode) (rate(x_total{rcode=\"SERVFAIL\",a=~\"b\"}[$__rate_interval]))"
                    + " == bool 0 and on (node) histogram_quantile(0.99, y_bucket offset 5m)"))
        .containsExactlyInAnyOrder(
            "minilb_controller_connected_resolvers", "kube_node_info", "x_total", "y_bucket");
  }

  private static List<Map<String, Object>> groups() throws Exception {
    Map<String, Object> rule =
        SERDE.unmarshal(Files.readString(DIR.resolve("prometheusrule.yaml")), Map.class);
    return list(map(rule.get("spec")).get("groups"));
  }

  private static List<String> expressions() throws Exception {
    var out = new ArrayList<String>();
    for (var g : groups()) {
      for (var r : list(g.get("rules"))) {
        out.add(String.valueOf(r.get("expr")));
      }
    }
    Map<String, Object> dashboard =
        SERDE.unmarshal(Files.readString(DIR.resolve("dashboard.json")), Map.class);
    for (var panel : list(dashboard.get("panels"))) {
      for (var t : list(panel.get("targets"))) {
        out.add(String.valueOf(t.get("expr")));
      }
    }
    assertThat(out).hasSizeGreaterThan(6).allSatisfy(e -> assertThat(e).isNotBlank());
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return o == null ? List.of() : (List<Map<String, Object>>) o;
  }

  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset");

  /** The series names in a PromQL expression (not functions, labels, keywords or literals). */
  static Set<String> metricNames(String expr) {
    String e =
        expr.replaceAll("\"[^\"]*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    var names = new TreeSet<String>();
    var m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(e);
    while (m.find()) {
      String token = m.group().replaceAll("[\\s(]", "");
      boolean function = m.group(1) != null;
      boolean duration = token.matches("\\d.*") || token.matches("[smhdwy]");
      if (!function && !duration && !KEYWORDS.contains(token)) {
        names.add(token);
      }
    }
    return names;
  }

  /** The names of the series in a Prometheus text exposition (histograms as _bucket etc.). */
  private static Set<String> seriesNames(String exposition) {
    return exposition
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
