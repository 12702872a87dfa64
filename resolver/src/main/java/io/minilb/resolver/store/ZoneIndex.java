package io.minilb.resolver.store;

import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A read-only, query-ready view of one {@link Snapshot}: record sets by owner name and type, the
 * set of names that exist (owners and the empty non-terminals above them), and the zone apexes with
 * their SOA. Built once per update off the query path, then shared by every query thread; never
 * mutated after construction.
 */
public final class ZoneIndex {

  private final Snapshot snapshot;
  private final List<Zone> zones;
  private final Map<Name, Map<Integer, RecordSet>> byName;
  private final Set<Name> existing;
  private final Map<String, Precomputed> precomputed;

  /**
   * Ready-to-send A and AAAA records of one owner: each record in wire format with its owner
   * written as a compression pointer to the question (offset 12), so the question's exact spelling
   * is echoed for free. Read-only; {@code rotation} only picks the starting record.
   */
  public static final class Precomputed {
    private final byte[][] a;
    private final byte[][] aaaa;
    private final java.util.concurrent.atomic.AtomicInteger rotation =
        new java.util.concurrent.atomic.AtomicInteger();

    Precomputed(byte[][] a, byte[][] aaaa) {
      this.a = a;
      this.aaaa = aaaa;
    }

    /** The records of {@code type} (A or AAAA), or null when the owner has none. */
    public byte[][] records(int type) {
      byte[][] r = type == Type.A ? a : type == Type.AAAA ? aaaa : null;
      return r == null || r.length == 0 ? null : r;
    }

    /** The next starting offset for round-robin order. */
    public int nextRotation() {
      return rotation.getAndIncrement() & 0x7FFF_FFFF;
    }
  }

  /**
   * A served zone: its apex and the SOA record negative answers carry, whose TTL is already min(SOA
   * TTL, SOA minimum) as RFC 2308 section 3 asks.
   */
  public record Zone(Name apex, SOARecord negativeSoa) {}

  private ZoneIndex(Snapshot snapshot) {
    this.snapshot = snapshot;
    this.byName = new HashMap<>();
    for (RRSet set : snapshot.rrsets().values()) {
      Name owner = name(set.name());
      var records = new ArrayList<Record>(set.rdata().size());
      for (var rdata : set.rdata()) {
        Record r = Record.newRecord(owner, set.type(), DClass.IN, set.ttl(), rdata.toByteArray());
        if (r == null) { // dnsjava's answer to rdata it cannot parse
          throw new IllegalArgumentException("malformed rdata in " + set.key());
        }
        records.add(r);
      }
      byName.computeIfAbsent(owner, n -> new HashMap<>(4)).put(set.type(), new RecordSet(records));
    }
    var zoneList = new ArrayList<Zone>();
    for (String apex : snapshot.zones()) {
      Name apexName = name(apex);
      RecordSet soa = byName.getOrDefault(apexName, Map.of()).get(Type.SOA);
      if (soa == null) {
        throw new IllegalArgumentException("zone " + apex + " has no SOA");
      }
      if (!(soa.first() instanceof SOARecord record)) {
        throw new IllegalArgumentException("zone " + apex + " has a malformed SOA");
      }
      long negativeTtl = Math.min(record.getTTL(), record.getMinimum());
      zoneList.add(new Zone(apexName, withTtl(record, negativeTtl)));
    }
    // Longest apex first, so the most specific zone wins.
    zoneList.sort((a, b) -> Integer.compare(b.apex().labels(), a.apex().labels()));
    this.zones = List.copyOf(zoneList);
    this.precomputed = new HashMap<>();
    for (var e : byName.entrySet()) {
      byte[][] a = wire(e.getValue().get(Type.A));
      byte[][] aaaa = wire(e.getValue().get(Type.AAAA));
      if (a.length > 0 || aaaa.length > 0) {
        precomputed.put(
            e.getKey().toString().toLowerCase(java.util.Locale.ROOT), new Precomputed(a, aaaa));
      }
    }
    this.existing = new HashSet<>();
    for (Name owner : byName.keySet()) {
      Zone zone = zoneOf(owner);
      for (Name n = owner; ; n = new Name(n, 1)) {
        if (!existing.add(n) || zone == null || n.equals(zone.apex()) || n.labels() <= 1) {
          break;
        }
      }
    }
  }

  /**
   * Indexes {@code snapshot}.
   *
   * @throws IllegalArgumentException if a name or rdata is malformed or a zone lacks its SOA
   */
  public static ZoneIndex of(Snapshot snapshot) {
    return new ZoneIndex(snapshot);
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /** The most specific served zone containing {@code name}, or null when none does. */
  public Zone zoneOf(Name name) {
    for (Zone z : zones) {
      if (name.subdomain(z.apex())) {
        return z;
      }
    }
    return null;
  }

  /** The records of {@code type} at {@code name}, or null. Names compare case-insensitively. */
  public RecordSet find(Name name, int type) {
    Map<Integer, RecordSet> types = byName.get(name);
    return types == null ? null : types.get(type);
  }

  /** All RRsets at {@code name}; empty for an empty non-terminal or a missing name. */
  public Map<Integer, RecordSet> findAll(Name name) {
    return byName.getOrDefault(name, Map.of());
  }

  /**
   * The wildcard owner that covers {@code name} in {@code zone}: {@code *.<parent>} when it exists.
   * A wildcard matches exactly one label, as Kubernetes host wildcards do; null when none applies.
   */
  public Name wildcardFor(Name name, Zone zone) {
    if (name.labels() <= zone.apex().labels()) {
      return null;
    }
    Name parent = new Name(name, 1);
    if (!parent.subdomain(zone.apex())) {
      return null;
    }
    try {
      Name wild = Name.concatenate(Name.fromConstantString("*"), parent);
      return byName.containsKey(wild) ? wild : null;
    } catch (org.xbill.DNS.NameTooLongException e) {
      return null;
    }
  }

  /**
   * The precomputed A/AAAA answers of an owner, by its absolute lower-case name (e.g. {@code
   * web.default.minilb.}); null when it has neither. Exact owners only: wildcards and every other
   * case go through {@link #find}.
   */
  public Precomputed precomputed(String lowerCaseName) {
    return precomputed.get(lowerCaseName);
  }

  private static byte[][] wire(RecordSet set) {
    if (set == null) {
      return new byte[0][];
    }
    var out = new java.util.ArrayList<byte[]>();
    for (Record r : set.records()) {
      byte[] rdata = r.rdataToWireCanonical();
      var b = java.nio.ByteBuffer.allocate(2 + 2 + 2 + 4 + 2 + rdata.length);
      b.putShort((short) 0xC00C)
          .putShort((short) r.getType())
          .putShort((short) DClass.IN)
          .putInt((int) r.getTTL())
          .putShort((short) rdata.length)
          .put(rdata);
      out.add(b.array());
    }
    return out.toArray(new byte[0][]);
  }

  /** Whether {@code name} exists: it owns records or is an empty non-terminal above an owner. */
  public boolean exists(Name name) {
    return existing.contains(name);
  }

  private static SOARecord withTtl(SOARecord r, long ttl) {
    return new SOARecord(
        r.getName(),
        r.getDClass(),
        ttl,
        r.getHost(),
        r.getAdmin(),
        r.getSerial(),
        r.getRefresh(),
        r.getRetry(),
        r.getExpire(),
        r.getMinimum());
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad name " + s, e);
    }
  }
}
