package io.minilb.resolver.xfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.dns.ZoneText;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** The journal IXFR answers from: one step per serial, SOA left out, reset when it cannot go on. */
class ZoneHistoryTest {

  private static final Name MINILB = Name.fromConstantString("minilb.");
  private static final Name REVERSE = Name.fromConstantString("0.244.10.in-addr.arpa.");

  private final List<String> notified = new ArrayList<>();
  private final ZoneHistory history =
      new ZoneHistory((apex, soa) -> notified.add(apex + " " + soa.getSerial()));
  private Snapshot held;
  private long sequence;

  private static String zone(long serial, String web) {
    return """
        minilb. 5 IN SOA ns.minilb. hostmaster.minilb. %d 60 30 3600 5
        minilb. 5 IN NS ns.minilb.
        web.default.minilb. 5 IN A 10.244.0.10
        %s
        0.244.10.in-addr.arpa. 5 IN SOA ns.minilb. hostmaster.minilb. %d 60 30 3600 5
        10.0.244.10.in-addr.arpa. 5 IN PTR web.default.minilb.
        """
        .formatted(serial, web, serial);
  }

  /** Feeds the next snapshot as a delta from the held one (or whole, the first time). */
  private void update(String lines) {
    var s = ZoneText.snapshot(lines);
    Snapshot next = new Snapshot(new Version(1, ++sequence), s.zones(), s.rrsets().values());
    history.changed(held, held == null ? null : next.diff(held), next);
    held = next;
  }

  private List<String> lines(List<Record> records) {
    return records.stream().map(r -> r.toString().replaceAll("\\s+", " ")).toList();
  }

  @Test
  void eachChange_isAStepFromTheOldSerialToTheNew_withRecordLevelDeletionsAndAdditions() {
    update(zone(100, "web.default.minilb. 5 IN A 10.244.0.11"));
    update(zone(101, "web.default.minilb. 5 IN A 10.244.0.12"));
    update(zone(102, "web.default.minilb. 5 IN AAAA fd00::12"));

    Journal j = history.state().journal(MINILB);
    assertThat(j.steps()).hasSize(2);
    var first = j.steps().get(0);
    assertThat(first.from().getSerial()).isEqualTo(100);
    assertThat(first.to().getSerial()).isEqualTo(101);
    assertThat(lines(first.deleted())).containsExactly("web.default.minilb. 5 IN A 10.244.0.11");
    assertThat(lines(first.added())).containsExactly("web.default.minilb. 5 IN A 10.244.0.12");
    var second = j.steps().get(1);
    assertThat(lines(second.deleted())).containsExactly("web.default.minilb. 5 IN A 10.244.0.12");
    assertThat(lines(second.added()))
        .containsExactly("web.default.minilb. 5 IN AAAA fd00:0:0:0:0:0:0:12");

    assertThat(j.since(100)).hasSize(2);
    assertThat(j.since(101)).hasSize(1);
    assertThat(j.since(99)).as("never held: the whole zone instead").isNull();
    assertThat(history.state().journal(REVERSE).since(101))
        .as("a zone whose records did not change still moves serial, with an empty step")
        .singleElement()
        .satisfies(s -> assertThat(s.size()).isZero());
  }

  @Test
  void aTtlChange_replacesTheWholeRRset() {
    update(zone(100, "web.default.minilb. 5 IN A 10.244.0.11"));
    update(
        zone(101, "web.default.minilb. 5 IN A 10.244.0.11")
            .replace(
                "web.default.minilb. 5 IN A 10.244.0.1", "web.default.minilb. 9 IN A 10.244.0.1"));

    var step = history.state().journal(MINILB).steps().get(0);
    assertThat(lines(step.deleted())).hasSize(2).allMatch(l -> l.contains(" 5 IN A "));
    assertThat(lines(step.added())).hasSize(2).allMatch(l -> l.contains(" 9 IN A "));
  }

  @Test
  void aSerialThatGoesBack_orAZoneThatComesOrGoes_startsTheJournalAgain() {
    update(zone(100, ""));
    update(zone(101, "web.default.minilb. 5 IN A 10.244.0.11"));
    update(zone(50, "web.default.minilb. 5 IN A 10.244.0.12")); // a new epoch, behind the old
    assertThat(history.state().journal(MINILB).steps()).isEmpty();

    update(zone(51, "web.default.minilb. 5 IN A 10.244.0.13"));
    assertThat(history.state().journal(MINILB).since(50)).hasSize(1);
    update(
        zone(52, "")
            + "apps.example.com. 5 IN SOA ns.minilb. hostmaster.minilb. 52 60 30 3600 5\n");
    assertThat(history.state().journal(MINILB).steps()).isEmpty();
  }

  @Test
  void theSerialWrapsAround_asRfc1982Says() {
    assertThat(ZoneHistory.newer(1, 0xFFFF_FFFFL)).isTrue();
    assertThat(ZoneHistory.newer(0xFFFF_FFFFL, 1)).isFalse();
    assertThat(ZoneHistory.newer(5, 5)).isFalse();
  }

  @Test
  void theJournal_keepsTheNewestSteps_withinItsBound() {
    update(zone(1000, ""));
    for (int i = 1; i <= ZoneHistory.MAX_STEPS + 10; i++) {
      update(zone(1000 + i, "web.default.minilb. 5 IN A 10.1.0." + (i % 250)));
    }
    Journal j = history.state().journal(MINILB);
    assertThat(j.steps()).hasSize(ZoneHistory.MAX_STEPS);
    assertThat(j.since(1000)).isNull();
    assertThat(j.since(1010)).hasSize(ZoneHistory.MAX_STEPS);
  }

  @Test
  void everyZoneWhoseSerialChanged_isNotified_onceEach() {
    update(zone(100, ""));
    update(zone(101, "web.default.minilb. 5 IN A 10.244.0.11"));
    update(zone(101, "web.default.minilb. 5 IN A 10.244.0.11")); // same serial: nothing
    assertThat(notified)
        .containsExactly(
            "0.244.10.in-addr.arpa. 100",
            "minilb. 100",
            "0.244.10.in-addr.arpa. 101",
            "minilb. 101");
  }
}
