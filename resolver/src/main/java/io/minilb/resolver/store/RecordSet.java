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
 * them into dnsjava records at answer time cannot fail. Kept as bytes rather than dnsjava objects
 * because a large index is mostly these, and all of a set's rdata in one array, because a byte
 * array per record cost more in headers and references than an A record's four bytes: a set of one
 * A record costs 56 bytes here, of three 64.
 *
 * <p>The array holds the records in stored order. A and AAAA records have one length (4 and 16
 * bytes, checked on entry), so they are packed end to end and record {@code i} is found by
 * arithmetic, which is all the fast path reads; the records of any other type each follow their
 * two-byte length (as in a message's RDLENGTH), so record {@code i} is found by walking the ones
 * before it, which only the general path, once per set, and the snapshot file do.
 *
 * <p>Immutable except for the rotation position, a field updated atomically by every query thread,
 * so concurrent readers each get a consistent window and never see a torn position.
 */
public final class RecordSet {

  /** The most records one set may hold. */
  static final int MAX_RECORDS = 0xFFFF;

  private static final AtomicIntegerFieldUpdater<RecordSet> ROTATION =
      AtomicIntegerFieldUpdater.newUpdater(RecordSet.class, "rotation");

  private final int ttl;
  private final char type; // 1-65535
  private final char size; // 1-65535
  private final byte[] data; // never modified, never handed out
  private volatile int rotation;
  // The records as dnsjava objects, made on first use by the general path: parsing rdata on every
  // answer would cost more than the answer. Racing first uses each make an equal array.
  private volatile Record[] parsed;

  private RecordSet(int type, int ttl, int size, byte[] data) {
    this.type = (char) type;
    this.ttl = ttl;
    this.size = (char) size;
    this.data = data;
  }

  /**
   * The record set of {@code set}, owned by {@code owner}.
   *
   * @throws IllegalArgumentException when an rdata is empty or does not parse as its type, or the
   *     set holds more than {@link #MAX_RECORDS} records
   */
  static RecordSet validated(Name owner, RRSet set) {
    var bytes = new byte[set.rdata().size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = set.rdata().get(i).toByteArray();
    }
    return validated(owner, set.name(), set.type(), set.ttl(), bytes);
  }

  /**
   * The record set of {@code type} and {@code ttl} holding {@code rdata} (copied). {@code owner} is
   * any absolute name (the records are parsed once to check them, and no rdata's meaning depends on
   * its owner); {@code name} only names the set in an error.
   *
   * @throws IllegalArgumentException when the type is outside 1–65535, the set is empty or holds
   *     more than {@link #MAX_RECORDS} records, or an rdata is empty, longer than 65,535 bytes or
   *     does not parse as its type
   */
  static RecordSet validated(Name owner, String name, int type, int ttl, byte[][] rdata) {
    // Type 0 is reserved (RFC 6895): dnsjava reads it, but no record key can name it, so an index
    // holding one could neither publish its snapshot nor remove it by a delta.
    if (type < 1 || type > 0xFFFF) {
      throw new IllegalArgumentException("bad RR type " + type + " in " + name);
    }
    if (rdata.length == 0 || rdata.length > MAX_RECORDS) {
      throw new IllegalArgumentException(
          rdata.length + " records in " + name + "/" + type + " (1 to " + MAX_RECORDS + ")");
    }
    long length = 0;
    for (byte[] b : rdata) {
      if (b.length > 0xFFFF || !parses(owner, type, ttl, b)) {
        throw new IllegalArgumentException(
            "malformed rdata in " + name + "/" + type + " (" + b.length + " bytes)");
      }
      length += b.length + (fixed(type) ? 0 : 2);
    }
    if (length > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("too much rdata in " + name + "/" + type);
    }
    var data = new byte[(int) length];
    int at = 0;
    for (byte[] b : rdata) {
      if (!fixed(type)) {
        data[at] = (byte) (b.length >> 8);
        data[at + 1] = (byte) b.length;
        at += 2;
      }
      System.arraycopy(b, 0, data, at, b.length);
      at += b.length;
    }
    return new RecordSet(type, ttl, rdata.length, data);
  }

  /** Whether every record of {@code type} has one length, so that a set holds no lengths. */
  private static boolean fixed(int type) {
    return type == Type.A || type == Type.AAAA;
  }

  /** Whether dnsjava reads {@code b} as one whole record of {@code type}. */
  private static boolean parses(Name owner, int type, int ttl, byte[] b) {
    if (b.length == 0) {
      return false;
    }
    // The packed layout relies on these lengths, whatever dnsjava would accept.
    if (type == Type.A && b.length != 4 || type == Type.AAAA && b.length != 16) {
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
    return size;
  }

  /** The length of record {@code i}'s rdata. */
  public int rdataLength(int i) {
    if (fixed(type)) {
      return data.length / size;
    }
    int at = offset(i);
    return (data[at - 2] & 0xFF) << 8 | data[at - 1] & 0xFF;
  }

  /** Copies record {@code i}'s rdata into {@code dst} at {@code at}; returns the position after. */
  public int copyRdata(int i, byte[] dst, int at) {
    int length = rdataLength(i);
    System.arraycopy(data, offset(i), dst, at, length);
    return at + length;
  }

  /** Where record {@code i}'s rdata starts in {@code data}: arithmetic for A and AAAA. */
  private int offset(int i) {
    if (fixed(type)) {
      return i * (data.length / size);
    }
    int at = 0;
    for (int k = 0; k < i; k++) {
      at += 2 + ((data[at] & 0xFF) << 8 | data[at + 1] & 0xFF);
    }
    return at + 2;
  }

  /** Every record's rdata, each a new array, in stored order (one walk for any type). */
  private byte[][] rdata() {
    var out = new byte[size][];
    int fixedLength = data.length / size;
    int at = 0;
    for (int i = 0; i < out.length; i++) {
      int length = fixedLength;
      if (!fixed(type)) {
        length = (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
        at += 2;
      }
      out[i] = java.util.Arrays.copyOfRange(data, at, at + length);
      at += length;
    }
    return out;
  }

  /** The first record, owned by {@code owner}. */
  public Record first(Name owner) {
    return record(owner, 0);
  }

  /** Every record in canonical (stored) order, owned by {@code owner}. */
  public List<Record> records(Name owner) {
    var out = new ArrayList<Record>(size);
    for (int i = 0; i < size; i++) {
      out.add(record(owner, i));
    }
    return out;
  }

  /**
   * At most {@code max} records owned by {@code owner}, in round-robin order: each call starts
   * where the previous one ended (see {@link #nextStart}).
   */
  public List<Record> window(Name owner, int max) {
    int n = Math.min(max, size);
    int start = nextStart(n);
    var out = new ArrayList<Record>(n);
    for (int i = 0; i < n; i++) {
      out.add(record(owner, (start + i) % size));
    }
    return out;
  }

  /**
   * The index to start a window of {@code count} records at. A set that fits whole rotates by one
   * record per answer; a larger one moves on by a whole window, so every record is handed out once
   * every {@code size / count} answers.
   */
  public int nextStart(int count) {
    int n = size;
    if (n == 1) {
      return 0;
    }
    int step = count >= n ? 1 : count;
    return Math.floorMod(ROTATION.getAndAdd(this, step), n);
  }

  /** The set as a value of the model, for the snapshot file. */
  RRSet toRRSet(String name) {
    var list = new ArrayList<Rdata>(size);
    for (byte[] b : rdata()) {
      list.add(Rdata.of(b));
    }
    return new RRSet(name, type, ttl, list);
  }

  private Record record(Name owner, int i) {
    Record[] p = parsed;
    if (p == null) {
      byte[][] rdata = rdata();
      p = new Record[rdata.length];
      for (int j = 0; j < p.length; j++) {
        p[j] = Record.newRecord(Name.root, type, DClass.IN, ttl, rdata[j]);
      }
      parsed = p;
    }
    return p[i].withName(owner);
  }
}
