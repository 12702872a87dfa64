package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.lb;
import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.proto.Messages;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * {@code --max-snapshot-bytes}: objects are admitted oldest first while the snapshot's protobuf
 * encoding fits, so no snapshot within the controller's limits is one no resolver reads.
 */
class SnapshotSizeLimitTest {

  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");

  /** Shared by every long host, so that each host adds one name: 139 characters. */
  private static final String SUFFIX = "b".repeat(63) + "." + "c".repeat(63) + ".example.com";

  @Test
  void longHostsWithinEveryOtherLimit_stopAtTheByteLimit_youngestLeftOut() {
    // 320 Services with 100 hosts of 253 characters in zones of their own: 97,000 records and
    // 33,000 names, within every other default limit, but some 34 MiB encoded, more than a
    // resolver reads
    var services = new ArrayList<ServiceView>();
    var slices = new ArrayList<SliceView>();
    for (int s = 0; s < 320; s++) {
      var hosts = new StringJoiner(",");
      for (int h = 0; h < 100; h++) {
        hosts.add(longHost("u" + s + "x" + h));
      }
      services.add(
          lb("tenant", "s" + s, OLD.plusSeconds(s), Map.of("minilb/host", hosts.toString())));
      slices.add(
          slice(
              "tenant",
              "s" + s + "-x",
              "s" + s,
              "IPv4",
              ready("10.1." + (s >> 8) + "." + (s & 255))));
    }
    var builder = new RecordBuilder(ZoneConfig.defaults(), Limits.DEFAULTS);

    var build = builder.build(Fixtures.state(services, slices));

    int limit = Limits.DEFAULTS.snapshotBytes();
    int encoded = encoded(builder, build);
    // one Service's part is some 110,000 bytes: the snapshot is within one object of the limit
    assertThat(encoded).isLessThanOrEqualTo(limit).isGreaterThan(limit - 120_000);
    LeftOut.youngest(
        build,
        320,
        "SnapshotSizeLimitReached",
        "--max-snapshot-bytes (25165824 bytes)",
        s -> "s" + s + ".tenant.minilb.",
        s -> longHost("u" + s + "x99") + ".");
  }

  @Test
  void anObjectWhoseBytesDoNotFit_isLeftOut_youngerOnesThatFitAreServed() {
    var zone = ZoneConfig.defaults();
    var big = Map.of("minilb/host", longHost("one") + "," + longHost("two"));
    var withoutBig = LeftOut.oldMiddleYoung("big", big, false);
    var all = new RecordBuilder(zone, Limits.DEFAULTS);
    int fits = encoded(all, all.build(withoutBig));
    // room for old and young, the version at its largest, and not for big's two hosts in zones
    // of their own (over 1,500 bytes)
    var limits =
        new Limits(100, 1_000, 100_000, 10_000, Limits.DEFAULT_NAMES, fits + WireSize.VERSION);

    var builder = new RecordBuilder(zone, limits);
    var build = builder.build(LeftOut.oldMiddleYoung("big", big, true));

    LeftOut.onlyMiddle(build, "big", Report.SIZE_LIMIT);
    assertThat(encoded(builder, build)).isEqualTo(fits).isLessThanOrEqualTo(limits.snapshotBytes());
    assertThat(build.zones()).doesNotContain(longHost("one") + ".");
  }

  @Test
  void wireSize_countsEachRRsetAndZoneAsProtobufEncodesThem() {
    var rrsets =
        List.of(
            new RRSet("a.", Type.A, 0, List.of(Rdata.of(new byte[] {10, 0, 0, 1}))),
            new RRSet(
                longHost("x") + ".",
                Type.PTR,
                Integer.MAX_VALUE,
                List.of(Rdata.of(new byte[255]), Rdata.of(new byte[0]), Rdata.of(new byte[1]))),
            new RRSet("big.", 0xFFFF, 300, List.of(Rdata.of(new byte[Rdata.MAX_LENGTH]))),
            new RRSet("many.", Type.A, 5, fourByteRdata(5_000)),
            new RRSet("ünï\uD83D\uDE00code.", Type.TXT, 1, List.of(Rdata.of(new byte[127]))));
    for (RRSet s : rrsets) {
      assertThat(WireSize.of(s))
          .as(s.name())
          .isEqualTo(
              io.minilb.proto.v1.Snapshot.newBuilder()
                  .addRrsets(Messages.toProto(s))
                  .build()
                  .getSerializedSize());
    }
    var one = rrsets.get(0);
    assertThat(WireSize.of(one.name(), one.type(), one.ttl(), 4)).isEqualTo(WireSize.of(one));
    for (String apex : List.of(".", "minilb.", longHost("z") + ".")) {
      assertThat(WireSize.zone(apex))
          .isEqualTo(
              io.minilb.proto.v1.Snapshot.newBuilder().addZones(apex).build().getSerializedSize());
    }
    var largest = io.minilb.proto.v1.Version.newBuilder().setEpoch(-1).setSequence(-1).build();
    assertThat(WireSize.VERSION)
        .isEqualTo(
            io.minilb.proto.v1.Snapshot.newBuilder()
                .setVersion(largest)
                .build()
                .getSerializedSize());
  }

  @Test
  void theBuildsCount_isAtLeastItsEncoding_andCloseToIt() {
    var zone =
        new ZoneConfig(
            "minilb",
            "minilb",
            5,
            null,
            false,
            null,
            List.of(io.minilb.net.Cidr.literal("10.9.9.9")));
    var state = services(1_000);
    var builder = new RecordBuilder(zone, Limits.DEFAULTS);
    var build = builder.build(state);
    var snapshot = snapshot(builder, build);
    int encoded = Messages.toProto(snapshot).getSerializedSize();
    long count = WireSize.VERSION;
    for (String z : snapshot.zones()) {
      count += WireSize.zone(z);
    }
    count += WireSize.of(List.copyOf(snapshot.rrsets().values()));

    assertThat(snapshot.zones()).contains("10.in-addr.arpa.");
    // the version's unused bytes are the whole difference
    assertThat(count).isBetween((long) encoded, encoded + (long) WireSize.VERSION);
    // and admission counts the same: a limit of exactly that count still takes every Service
    var exact = new Limits(100, 1_000, 100_000, 10_000, Limits.DEFAULT_NAMES, (int) count);
    assertThat(new RecordBuilder(zone, exact).build(state).dropped()).isEmpty();
    var under = new Limits(100, 1_000, 100_000, 10_000, Limits.DEFAULT_NAMES, (int) count - 1);
    assertThat(new RecordBuilder(zone, under).build(state).dropped())
        .singleElement()
        .satisfies(f -> assertThat(f.object()).isEqualTo(new ObjectKey("ns199", "svc999")));
  }

  /** A valid host of 253 characters, unique by {@code id}, under {@link #SUFFIX}. */
  static String longHost(String id) {
    String label = id + "a".repeat(56 - id.length());
    return label + "." + "e".repeat(56) + "." + SUFFIX;
  }

  /** {@link NameLimitTest#cluster} on a node whose pod CIDR makes a PTR of every pod. */
  private static ClusterState services(int n) {
    return NameLimitTest.cluster(
        n, List.of(new NodeView("n", List.of("10.0.0.0/8"), List.of("192.168.0.1"))));
  }

  /** The snapshot the publisher makes of {@code build}, with every zone's SOA. */
  static Snapshot snapshot(RecordBuilder builder, RecordBuilder.Build build) {
    var all = new ArrayList<RRSet>(build.records());
    build.zones().forEach(z -> all.add(builder.soa(z, 0xFFFF_FFFFL)));
    return new Snapshot(new Version(0x0123_4567_89ab_cdefL, 1), build.zones(), all);
  }

  /** Bytes of {@code build}'s snapshot message as a controller streams it. */
  static int encoded(RecordBuilder builder, RecordBuilder.Build build) {
    return Messages.toProto(snapshot(builder, build)).getSerializedSize();
  }

  private static List<Rdata> fourByteRdata(int n) {
    var out = new ArrayList<Rdata>(n);
    for (int i = 0; i < n; i++) {
      out.add(Rdata.of(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    return out;
  }
}
