package io.minilb.controller.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Version;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class SnapshotPublisherTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final RecordBuilder builder = new RecordBuilder(ZoneConfig.defaults());
  private final SnapshotPublisher publisher = new SnapshotPublisher(7, builder::soa, clock::get);
  private final List<String> zones = List.of("minilb.");

  @Test
  void publish_sameRecordsTwice_bumpsTheVersionOnce() {
    var listened = new AtomicInteger();
    publisher.addListener(listened::incrementAndGet);

    assertThat(publisher.publish(zones, records("10.0.0.1"))).isTrue();
    assertThat(publisher.publish(zones, records("10.0.0.1"))).isFalse();

    assertThat(publisher.current().version()).isEqualTo(new Version(7, 1));
    assertThat(listened).hasValue(1);
  }

  @Test
  void publish_changedRecords_bumpsSequenceAndSerial() {
    publisher.publish(zones, records("10.0.0.1"));
    long first = serial();

    publisher.publish(zones, records("10.0.0.2"));

    assertThat(publisher.current().version()).isEqualTo(new Version(7, 2));
    assertThat(serial()).isGreaterThan(first);
  }

  @Test
  void serial_followsTheClock_soANewLeaderStartsAboveItsPredecessor() {
    publisher.publish(zones, records("10.0.0.1"));
    publisher.publish(zones, records("10.0.0.2"));
    publisher.publish(zones, records("10.0.0.3"));
    long oldLeaderSerial = serial();

    clock.addAndGet(10);
    var next = new SnapshotPublisher(8, builder::soa, clock::get);
    next.publish(zones, records("10.0.0.3"));

    assertThat(serialOf(next)).isGreaterThan(oldLeaderSerial);
  }

  @Test
  void find_keepsOnlyTheLastFewVersions() {
    for (int i = 1; i <= SnapshotPublisher.HISTORY + 2; i++) {
      publisher.publish(zones, records("10.0.0." + i));
    }

    assertThat(publisher.find(new Version(7, 1))).isNull();
    assertThat(publisher.find(publisher.current().version())).isSameAs(publisher.current());
    assertThat(publisher.find(new Version(8, publisher.current().version().sequence()))).isNull();
  }

  @Test
  void anUnchangedRRset_isSharedWithThePreviousSnapshot_notCopied() {
    RRSet other = new RRSet("api.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[4])));
    publisher.publish(zones, List.of(records("10.0.0.1").get(0), other));
    RRSet kept = publisher.current().rrsets().get(other.key());

    RRSet equalCopy = new RRSet("api.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[4])));
    publisher.publish(zones, List.of(records("10.0.0.2").get(0), equalCopy));

    assertThat(publisher.current().version().sequence()).isEqualTo(2);
    assertThat(publisher.current().rrsets().get(other.key())).isSameAs(kept);
  }

  private long serial() {
    return serialOf(publisher);
  }

  private static long serialOf(SnapshotPublisher p) {
    RRSet soa =
        p.current().rrsets().values().stream()
            .filter(s -> s.type() == Type.SOA)
            .findFirst()
            .orElseThrow();
    try {
      var rec =
          (SOARecord)
              org.xbill.DNS.Record.newRecord(
                  org.xbill.DNS.Name.fromString(soa.name()),
                  Type.SOA,
                  org.xbill.DNS.DClass.IN,
                  soa.ttl(),
                  soa.rdata().get(0).toByteArray());
      return rec.getSerial();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<RRSet> records(String ip) {
    byte[] b = new byte[4];
    String[] parts = ip.split("\\.");
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(parts[i]);
    }
    return List.of(new RRSet("web.default.minilb.", Type.A, 5, List.of(Rdata.of(b))));
  }
}
