package io.minilb.controller.records;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.snapshot.RRSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Builders for views, and record sets rendered as zone-file lines. */
public final class Fixtures {

  private Fixtures() {}

  public static ServiceView lb(String ns, String name) {
    return service(ns, name, "LoadBalancer", "minilb", false, Map.of());
  }

  /** A minilb LoadBalancer created at {@code created}, with {@code annotations}. */
  public static ServiceView lb(
      String ns, String name, Instant created, Map<String, String> annotations) {
    return new ServiceView(
        ns,
        name,
        "LoadBalancer",
        "minilb",
        false,
        created,
        annotations,
        List.of(new ServiceView.PortView("http", "TCP", 8080)),
        List.of(),
        List.of());
  }

  public static ServiceView service(
      String ns,
      String name,
      String type,
      String lbClass,
      boolean publishNotReady,
      Map<String, String> annotations) {
    return new ServiceView(
        ns,
        name,
        type,
        lbClass,
        publishNotReady,
        Instant.parse("2026-01-01T00:00:00Z"),
        annotations,
        // the endpoints' port: a mismatch is a PortMismatch warning, tested on its own
        List.of(new ServiceView.PortView("http", "TCP", 8080)),
        List.of(),
        List.of());
  }

  public static SliceView slice(
      String ns, String name, String service, String type, SliceView.EndpointView... eps) {
    return new SliceView(
        ns,
        name,
        service,
        type,
        Arrays.asList(eps),
        List.of(new ServiceView.PortView("http", "TCP", 8080)));
  }

  public static SliceView.EndpointView ready(String... ips) {
    return new SliceView.EndpointView(List.of(ips), true, false, null);
  }

  public static SliceView.EndpointView notReady(String... ips) {
    return new SliceView.EndpointView(List.of(ips), false, false, null);
  }

  public static SliceView.EndpointView terminating(String... ips) {
    return new SliceView.EndpointView(List.of(ips), false, true, null);
  }

  /** Zone-file lines re-rendered by dnsjava, so they compare equal to {@link #lines(List)}. */
  public static List<String> normalized(List<String> zoneLines) {
    var out = new ArrayList<String>();
    for (String line : zoneLines) {
      try {
        var t = new org.xbill.DNS.Tokenizer(line);
        Name owner = Name.fromString(t.getString());
        long ttl = t.getTTL();
        int dclass = DClass.value(t.getString());
        int type = org.xbill.DNS.Type.value(t.getString());
        out.add(
            Record.fromString(owner, type, dclass, ttl, t, Name.root)
                .toString()
                .replaceAll("\\s+", " "));
      } catch (Exception e) {
        throw new IllegalArgumentException(line, e);
      }
    }
    return out;
  }

  /** Without the per-endpoint (dashed-IP) names, SRV and PTR lines. */
  public static List<String> serviceLevel(List<String> lines) {
    return lines.stream()
        .filter(l -> !l.startsWith("_") && !l.split(" ")[0].matches(".*\\.(in-addr|ip6)\\.arpa\\."))
        .filter(l -> !l.split("\\.")[0].matches("[0-9a-f]*-[0-9a-f-]*"))
        .toList();
  }

  /** Each RRset as zone-file lines, in builder order. */
  public static List<String> lines(List<RRSet> sets) {
    var out = new ArrayList<String>();
    for (RRSet s : sets) {
      for (var rdata : s.rdata()) {
        try {
          out.add(
              Record.newRecord(
                      Name.fromString(s.name()), s.type(), DClass.IN, s.ttl(), rdata.toByteArray())
                  .toString()
                  .replaceAll("\\s+", " "));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** Only Services and EndpointSlices; every other input empty. */
  public static ClusterState state(List<ServiceView> services, List<SliceView> slices) {
    return new ClusterState(services, slices, List.of(), List.of(), List.of(), List.of());
  }

  /** The records built from only Services and EndpointSlices. */
  public static List<RRSet> records(
      RecordBuilder builder, List<ServiceView> services, List<SliceView> slices) {
    return builder.build(state(services, slices)).records();
  }
}
