package io.minilb.resolver.store;

import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The records of one owner and type: the TTL and each record's rdata in wire format, validated when
 * the set enters the index (every rdata parses as its type, with nothing left over), so turning
 * them into dnsjava records at answer time cannot fail. Kept as bare byte arrays rather than
 * dnsjava objects because a large index is mostly these: an A record costs 28 bytes here.
 *
 * <p>Immutable except for the rotation position, a field updated atomically by every query thread,
 * so concurrent readers each get a consistent window and never see a torn position.
 */
public final class RecordSet {

  private static final AtomicIntegerFieldUpdater<RecordSet> ROTATION =
      AtomicIntegerFieldUpdater.newUpdater(RecordSet.class, "rotation");

  private final int type;
  private final int ttl;
  private final byte[][] rdata; // never modified, never handed out
  private volatile int rotation;
  // The records as dnsjava objects, made on first use by the general path: parsing rdata on every
  // answer would cost more than the answer. Racing first uses each make an equal array.
  private volatile Record[] parsed;

  private RecordSet(int type, int ttl, byte[][] rdata) {
    this.type = type;
    this.ttl = ttl;
    this.rdata = rdata;
  }

  /**
   * The record set of {@code set}, owned by {@code owner}.
   *
   * @throws IllegalArgumentException when an rdata is empty or does not parse as its type
   */
  static RecordSet validated(Name owner, RRSet set) {
    var bytes = new byte[set.rdata().size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = set.rdata().get(i).toByteArray();
    }
    return validated(owner, set.name(), set.type(), set.ttl(), bytes);
  }

  /**
   * The record set of {@code type} and {@code ttl} holding {@code rdata} (kept, not copied): the
   * arrays must not be modified afterwards. {@code owner} is any absolute name (the records are
   * parsed once to check them, and no rdata's meaning depends on its owner); {@code name} only
   * names the set in an error.
   *
   * @throws IllegalArgumentException when the type is outside 1–65535, or an rdata is empty or does
   *     not parse as its type
   */
  static RecordSet validated(Name owner, String name, int type, int ttl, byte[][] rdata) {
    // Type 0 is reserved (RFC 6895): dnsjava reads it, but no record key can name it, so an index
    // holding one could neither publish its snapshot nor remove it by a delta.
    if (type < 1 || type > 0xFFFF) {
      throw new IllegalArgumentException("bad RR type " + type + " in " + name);
    }
    for (byte[] b : rdata) {
      if (!parses(owner, type, ttl, b)) {
        throw new IllegalArgumentException(
            "malformed rdata in " + name + "/" + type + " (" + b.length + " bytes)");
      }
    }
    return new RecordSet(type, ttl, rdata);
  }

  /** Whether dnsjava reads {@code b} as one whole record of {@code type}. */
  private static boolean parses(Name owner, int type, int ttl, byte[] b) {
    if (b.length == 0) {
      return false;
    }
    // A and AAAA rdata is the address and nothing else: dnsjava reads exactly 4 or 16 bytes and
    // rejects any other length. Most of a zone is these, so a full sync skips a record object each.
    if (ttl >= 0 && owner.isAbsolute()) {
      if (type == Type.A) {
        return b.length == 4;
      }
      if (type == Type.AAAA) {
        return b.length == 16;
      }
    }
    try {
      // null is dnsjava's answer to rdata it cannot parse
      return Record.newRecord(owner, type, DClass.IN, ttl, b) != null;
    } catch (RuntimeException e) { // dnsjava's checks on type, TTL and names
      return false;
    }
  }

  public int type() {
    return type;
  }

  public int ttl() {
    return ttl;
  }

  public int size() {
    return rdata.length;
  }

  /** The length of record {@code i}'s rdata. */
  public int rdataLength(int i) {
    return rdata[i].length;
  }

  /** Copies record {@code i}'s rdata into {@code dst} at {@code at}; returns the position after. */
  public int copyRdata(int i, byte[] dst, int at) {
    System.arraycopy(rdata[i], 0, dst, at, rdata[i].length);
    return at + rdata[i].length;
  }

  /** The first record, owned by {@code owner}. */
  public Record first(Name owner) {
    return record(owner, 0);
  }

  /** Every record in canonical (stored) order, owned by {@code owner}. */
  public List<Record> records(Name owner) {
    var out = new ArrayList<Record>(rdata.length);
    for (int i = 0; i < rdata.length; i++) {
      out.add(record(owner, i));
    }
    return out;
  }

  /**
   * At most {@code max} records owned by {@code owner}, in round-robin order: each call starts
   * where the previous one ended (see {@link #nextStart}).
   */
  public List<Record> window(Name owner, int max) {
    int n = Math.min(max, rdata.length);
    int start = nextStart(n);
    var out = new ArrayList<Record>(n);
    for (int i = 0; i < n; i++) {
      out.add(record(owner, (start + i) % rdata.length));
    }
    return out;
  }

  /**
   * The index to start a window of {@code count} records at. A set that fits whole rotates by one
   * record per answer; a larger one moves on by a whole window, so every record is handed out once
   * every {@code size / count} answers.
   */
  public int nextStart(int count) {
    int n = rdata.length;
    if (n == 1) {
      return 0;
    }
    int step = count >= n ? 1 : count;
    return Math.floorMod(ROTATION.getAndAdd(this, step), n);
  }

  /** The set as a value of the model, for the snapshot file. */
  RRSet toRRSet(String name) {
    var list = new ArrayList<Rdata>(rdata.length);
    for (byte[] b : rdata) {
      list.add(Rdata.of(b));
    }
    return new RRSet(name, type, ttl, list);
  }

  private Record record(Name owner, int i) {
    Record[] p = parsed;
    if (p == null) {
      p = new Record[rdata.length];
      for (int j = 0; j < p.length; j++) {
        p[j] = Record.newRecord(Name.root, type, DClass.IN, ttl, rdata[j]);
      }
      parsed = p;
    }
    return p[i].withName(owner);
  }
}
