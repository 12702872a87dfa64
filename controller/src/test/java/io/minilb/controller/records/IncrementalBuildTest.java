package io.minilb.controller.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minilb.controller.kube.ClusterViews;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.GatewayView;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.RouteView;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * The incremental build against the full one: seeded random sequences of changes to every kind of
 * object, small pools of names and addresses (so hosts conflict, names are refused and endpoints
 * are shared) and tight limits (so objects are cut and left out oldest first), comparing after
 * every step a long-lived builder's result with a new builder's first (full) build.
 */
class IncrementalBuildTest {

  private static final ZoneConfig ZONE = ZoneConfig.defaults();
  private static final Limits TIGHT = new Limits(2, 3, 60, 14);
  private static final Limits FEW_NAMES = new Limits(2, 3, 1_000, 100, 40);
  private static final Limits FEW_BYTES = new Limits(2, 3, 1_000, 100, Limits.DEFAULT_NAMES, 2_000);
  private static final int STEPS = 250;
  private static final String[] NAMESPACES = {"a", "b", "c"};
  private static final String[] HOSTS = {
    "x.example",
    "y.example",
    "*.w.example",
    "z.minilb",
    "a.minilb",
    "svc0.a.minilb",
    "10.in-addr.arpa"
  };

  @Test
  void build_afterEveryRandomChange_equalsTheFullBuild() {
    var reasons = new java.util.TreeSet<String>();
    for (long seed = 1; seed <= 6; seed++) {
      reasons.addAll(assertSameAsFull(seed, Limits.DEFAULTS, new ServiceParts()));
      reasons.addAll(assertSameAsFull(seed, TIGHT, new ServiceParts()));
      reasons.addAll(assertSameAsFull(seed, FEW_NAMES, new ServiceParts()));
      reasons.addAll(assertSameAsFull(seed, FEW_BYTES, new ServiceParts()));
    }
    // the sequences reach every cross-object rule, or the comparison would prove little
    assertTrue(
        reasons.containsAll(
            List.of(
                "HostConflict",
                HostClaims.REFUSED,
                Report.RECORD_LIMIT,
                Report.NAME_LIMIT,
                Report.SIZE_LIMIT,
                ServiceTarget.TOO_MANY_RECORDS,
                ServiceTarget.TOO_MANY_ENDPOINTS,
                HostClaims.TOO_MANY_HOSTS)),
        reasons.toString());
  }

  @Test
  void build_reusesUnchangedServices() {
    var parts = new ServiceParts();
    var builder = new RecordBuilder(ZONE, Limits.DEFAULTS, parts);
    var cluster = new Cluster(new Random(7));
    for (int i = 0; i < 40; i++) {
      cluster.change();
    }
    builder.build(cluster.state());
    long built = parts.built();
    cluster.views.putSlice(
        Fixtures.slice("a", "svc0-x", "svc0", "IPv4", Fixtures.ready("10.1.0.99")));
    builder.build(cluster.state());
    assertTrue(parts.built() - built <= 1, "only svc0 is rebuilt");
    assertTrue(parts.reused() > 0);
  }

  @Test
  void check_catchesAPartReusedAfterItsSlicesChanged() {
    BiPredicate<ServiceParts.Input, ServiceParts.Input> ignoresSlices =
        (a, b) -> a.service().equals(b.service()) && a.reverse().equals(b.reverse());
    assertThrows(AssertionError.class, () -> assertSameAsFull(1, TIGHT, ignoresSlices));
  }

  @Test
  void check_catchesAPartReusedAfterTheNodesChanged() {
    BiPredicate<ServiceParts.Input, ServiceParts.Input> ignoresNodes =
        (a, b) -> a.service().equals(b.service()) && a.slices().equals(b.slices());
    assertThrows(AssertionError.class, () -> assertSameAsFull(1, TIGHT, ignoresNodes));
  }

  private static void assertSameAsFull(
      long seed, Limits limits, BiPredicate<ServiceParts.Input, ServiceParts.Input> same) {
    assertSameAsFull(seed, limits, new ServiceParts(same));
  }

  /** The reasons of every finding on the way. */
  private static java.util.Set<String> assertSameAsFull(
      long seed, Limits limits, ServiceParts parts) {
    var reasons = new java.util.HashSet<String>();
    var incremental = new RecordBuilder(ZONE, limits, parts);
    var cluster = new Cluster(new Random(seed));
    for (int step = 0; step < STEPS; step++) {
      String change = cluster.change();
      ClusterState state = cluster.state();
      var full = new RecordBuilder(ZONE, limits).build(state);
      assertEquals(
          full,
          incremental.build(state),
          "seed " + seed + ", step " + step + " (" + change + "), limits " + limits);
      full.findings().forEach(f -> reasons.add(f.reason()));
      assertTrue(
          SnapshotSizeLimitTest.encoded(incremental, full) <= limits.snapshotBytes(),
          "seed " + seed + ", step " + step + ": encoded over --max-snapshot-bytes");
    }
    return reasons;
  }

  /** A small cluster that random changes are made to. */
  private static final class Cluster {
    final Random random;

    /** The controller's own view store, so the lists reach the builder as they do in production. */
    final ClusterViews views = new ClusterViews(() -> {});

    Cluster(Random random) {
      this.random = random;
    }

    ClusterState state() {
      return views.state();
    }

    /** Makes one random change and says which. */
    String change() {
      String ns = pick(NAMESPACES);
      int n = random.nextInt(5);
      boolean remove = random.nextInt(5) == 0;
      switch (random.nextInt(10)) {
        case 0, 1, 2 -> {
          var key = new ObjectKey(ns, "svc" + n);
          if (remove) {
            views.removeService(key);
          } else {
            views.putService(service(ns, "svc" + n));
          }
          return (remove ? "remove" : "put") + " Service " + key;
        }
        case 3, 4, 5 -> {
          String name = "svc" + n + "-" + random.nextInt(2);
          var key = new ObjectKey(ns, name);
          if (remove) {
            views.removeSlice(key);
          } else {
            views.putSlice(slice(ns, name, "svc" + n));
          }
          return (remove ? "remove" : "put") + " EndpointSlice " + key;
        }
        case 6 -> {
          var key = new ObjectKey(ns, "ing" + n);
          if (remove) {
            views.removeIngress(key);
          } else {
            views.putIngress(ingress(ns, "ing" + n));
          }
          return (remove ? "remove" : "put") + " Ingress " + key;
        }
        case 7 -> {
          var key = new ObjectKey(ns, "gw" + (n % 2));
          if (remove) {
            views.removeGateway(key);
          } else {
            views.putGateway(gateway(ns, "gw" + (n % 2)));
          }
          return (remove ? "remove" : "put") + " Gateway " + key;
        }
        case 8 -> {
          var route = route(ns, "route" + n);
          if (remove) {
            views.removeRoute(route.key());
          } else {
            views.putRoute(route);
          }
          return (remove ? "remove" : "put") + " HTTPRoute " + route.key();
        }
        default -> {
          var key = new ObjectKey("", "node" + (n % 3));
          if (remove) {
            views.removeNode(key);
          } else {
            views.putNode(node("node" + (n % 3)));
          }
          return (remove ? "remove" : "put") + " Node " + key;
        }
      }
    }

    ServiceView service(String ns, String name) {
      var annotations = new LinkedHashMap<String, String>();
      if (random.nextBoolean()) {
        annotations.put(HostClaims.HOST_ANNOTATION, pick(HOSTS) + "," + pick(HOSTS));
      }
      if (random.nextInt(4) == 0) {
        annotations.put(ServiceTarget.TTL_ANNOTATION, pick(new String[] {"30", "0", "x"}));
      }
      return new ServiceView(
          ns,
          name,
          random.nextInt(8) == 0 ? "ClusterIP" : ServiceView.LOAD_BALANCER,
          "minilb",
          random.nextInt(4) == 0,
          created(),
          annotations,
          List.of(
              new ServiceView.PortView("http", "TCP", 80 + random.nextInt(2) * 8000),
              new ServiceView.PortView("", "UDP", 53)),
          List.of(),
          List.of());
    }

    SliceView slice(String ns, String name, String service) {
      var eps = new ArrayList<SliceView.EndpointView>();
      for (int i = random.nextInt(4); i > 0; i--) {
        var ips = new ArrayList<String>();
        ips.add(ip());
        if (random.nextInt(4) == 0) {
          ips.add(ip());
        }
        eps.add(
            new SliceView.EndpointView(
                ips,
                random.nextInt(4) != 0,
                random.nextInt(6) == 0,
                random.nextBoolean() ? null : pick(new String[] {"web-0", "web-1", "Bad_"})));
      }
      return new SliceView(
          ns,
          name,
          service,
          random.nextInt(10) == 0 ? "IPv6" : "IPv4",
          eps,
          List.of(new ServiceView.PortView("http", "TCP", 8080)));
    }

    IngressView ingress(String ns, String name) {
      return new IngressView(
          ns,
          name,
          null,
          created(),
          List.of(pick(HOSTS), pick(HOSTS), pick(HOSTS)),
          random.nextBoolean()
              ? List.of("svc" + random.nextInt(5) + "." + ns + ".minilb")
              : List.of(),
          random.nextInt(3) == 0 ? List.of(ip()) : List.of());
    }

    GatewayView gateway(String ns, String name) {
      return new GatewayView(
          ns,
          name,
          random.nextBoolean()
              ? List.of("svc" + random.nextInt(5) + "." + ns + ".minilb")
              : List.of(),
          random.nextBoolean() ? List.of(ip()) : List.of());
    }

    RouteView route(String ns, String name) {
      return new RouteView(
          "HTTPRoute",
          ns,
          name,
          created(),
          List.of(pick(HOSTS), pick(HOSTS)),
          List.of(new ObjectKey(ns, "gw" + random.nextInt(2))));
    }

    NodeView node(String name) {
      var cidrs =
          random.nextBoolean()
              ? List.of("10." + random.nextInt(3) + ".0.0/16")
              : List.of(
                  "10." + random.nextInt(3) + ".0.0/16", "fd00:" + random.nextInt(2) + "::/64");
      return new NodeView(name, cidrs, List.of("192.168.0." + random.nextInt(9)));
    }

    /** Few distinct addresses, so endpoints of different Services share some. */
    String ip() {
      return switch (random.nextInt(12)) {
        case 0 -> "fd00:" + random.nextInt(2) + "::" + (1 + random.nextInt(3));
        case 1 -> "127.0.0.1";
        default -> "10." + random.nextInt(3) + ".0." + (1 + random.nextInt(6));
      };
    }

    Instant created() {
      return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(4));
    }

    String pick(String[] from) {
      return from[random.nextInt(from.length)];
    }
  }
}
