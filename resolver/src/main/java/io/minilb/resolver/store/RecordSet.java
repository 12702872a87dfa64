package io.minilb.resolver.store;

import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Record;

/**
 * The records of one owner and type, as dnsjava objects for the general answer path. The list is
 * immutable; the only state is the rotation counter, an atomic shared by every query thread, so
 * concurrent readers each get a consistent rotated view and never see a torn position (dnsjava's
 * {@code RRset.rrs(true)} mutates a plain field and is not safe to share).
 */
public final class RecordSet {

  private final List<Record> records;
  private final AtomicInteger rotation = new AtomicInteger();

  RecordSet(List<Record> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("empty record set");
    }
    this.records = List.copyOf(records);
  }

  /** The records in their canonical (stored) order. */
  public List<Record> records() {
    return records;
  }

  public Record first() {
    return records.get(0);
  }

  /** The records starting one further along each call (round robin); a read-only view. */
  public List<Record> rotated() {
    int n = records.size();
    if (n == 1) {
      return records;
    }
    int start = Math.floorMod(rotation.getAndIncrement(), n);
    return new AbstractList<>() {
      @Override
      public Record get(int i) {
        return records.get((start + i) % n);
      }

      @Override
      public int size() {
        return n;
      }
    };
  }
}
