package io.minilb.resolver.store;

import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A read-only, query-ready version of the records: record sets by owner name and type, the names
 * that exist (owners and the empty non-terminals above them), and the zone apexes with their SOA.
 * Immutable and shared by every query thread.
 *
 * <p>Both maps are persistent ({@link HashTrie}): {@link #apply} builds the next version from this
 * one in time and allocation proportional to the delta (each changed RRset costs a path copy for
 * its name and for each ancestor's count of owners below it), sharing everything else, so the
 * previous version keeps serving while the next is built and the two together cost little more than
 * one. Zones are looked up by walking the question's labels up to the nearest apex, so thousands of
 * zones cost one small entry each and no per-query scan.
 *
 * <p>Names are keyed by their lower-case presentation form ({@code web.default.minilb.}), which is
 * also what the fast path builds from a question.
 */
public final class ZoneIndex {

  /**
   * The most names an index holds, counting the empty non-terminals above owners: a snapshot or
   * delta that would make more is rejected whole, and the last good index keeps serving. Above what
   * a cluster sends (about six names per Service, so 50k Services are some 300,000 names) and what
   * the controller's {@code --max-names} admits, and low enough that every resolver's heap holds
   * two such indexes during a resync.
   */
  public static final int MAX_NAMES = io.minilb.snapshot.Snapshot.MAX_NAMES;

  /**
   * The most RRsets one name holds (types; a controller gives a name a handful). An owner's sets
   * are a small array, searched and copied whole on each change, so a name with thousands of types
   * (any unknown type takes one-byte rdata) made a build or a delta quadratic: 48,000 types in one
   * 1 MiB delta took 7.4 s of CPU. A snapshot or delta past this is rejected whole.
   */
  public static final int MAX_SETS_PER_NAME = 32;

  /**
   * A served zone: its apex and the SOA record negative answers carry, whose TTL is already min(SOA
   * TTL, SOA minimum) as RFC 2308 section 3 asks, also in wire form for the fast path ({@code
   * negativeWire}, null for the root zone).
   */
  public record Zone(Name apex, SOARecord negativeSoa, NegativeSoa negativeWire) {}

  /**
   * The record sets at one name (maybe none), and how many owner names lie below it. The name map
   * holds one only where it says more than one set would: a name that owns one set and has no
   * owners below (most names: an endpoint's, an SRV set's) maps to its {@link RecordSet} itself,
   * which saves this object and its array, about a fifth of the index.
   */
  private record Owner(RecordSet[] sets, int below) {
    static final RecordSet[] NONE = new RecordSet[0];

    /** The entry of the name map for this owner. */
    Object stored() {
      return sets.length == 1 && below == 0 ? sets[0] : this;
    }

    /** The owner an entry of the name map stands for; null for null. */
    static Owner of(Object entry) {
      return entry instanceof RecordSet s ? new Owner(new RecordSet[] {s}, 0) : (Owner) entry;
    }

    RecordSet get(int type) {
      for (RecordSet s : sets) {
        if (s.type() == type) {
          return s;
        }
      }
      return null;
    }

    Owner with(RecordSet set) {
      var out = new java.util.ArrayList<RecordSet>(sets.length + 1);
      for (RecordSet s : sets) {
        if (s.type() != set.type()) {
          out.add(s);
        }
      }
      out.add(set);
      return new Owner(out.toArray(NONE), below);
    }

    Owner without(int type) {
      return new Owner(
          java.util.Arrays.stream(sets).filter(s -> s.type() != type).toArray(RecordSet[]::new),
          below);
    }
  }

  private final Version version;
  private final List<String> zoneList;
  private final HashTrie<Zone> zones;
  private final HashTrie<Object> names; // to an Owner or its one RecordSet
  private final int rrsets;
  private final int apexLabels;
  private final int maxNames;

  private ZoneIndex(
      Version version,
      List<String> zoneList,
      HashTrie<Zone> zones,
      HashTrie<Object> names,
      int rrsets,
      int maxNames) {
    this.version = version;
    this.zoneList = zoneList;
    this.zones = zones;
    this.names = names;
    this.rrsets = rrsets;
    this.maxNames = maxNames;
    // Counted on the presentation form, as parent keys are found: every delta builds an index, and
    // parsing each apex into a Name for this was most of the constructor's work.
    int deepest = 0;
    for (String apex : zoneList) {
      int labels = 0;
      for (int i = parentStart(apex, 0); i >= 0; i = parentStart(apex, i)) {
        labels++;
      }
      deepest = Math.max(deepest, labels);
    }
    this.apexLabels = deepest;
  }

  /**
   * Indexes {@code snapshot}.
   *
   * @throws IllegalArgumentException if a name or rdata is malformed or a zone lacks its SOA
   */
  public static ZoneIndex of(Snapshot snapshot) {
    return of(snapshot.version(), snapshot.zones(), snapshot.rrsets().values());
  }

  /**
   * Indexes {@code rrsets} (a later RRset replaces an earlier one of the same key) as {@code
   * version} of {@code zones}.
   *
   * @throws IllegalArgumentException if a name or rdata is malformed or a zone lacks its SOA
   */
  public static ZoneIndex of(Version version, List<String> zones, Iterable<RRSet> rrsets) {
    return of(version, zones, rrsets, false, MAX_NAMES);
  }

  /**
   * Indexes {@code rrsets}, which must hold each key once (as a model {@code Snapshot} does), as
   * {@code version} of {@code zones}.
   *
   * @throws IllegalArgumentException if an RRset repeats, a name or rdata is malformed or a zone
   *     lacks its SOA
   */
  static ZoneIndex ofDistinct(Version version, List<String> zones, Iterable<RRSet> rrsets) {
    return of(version, zones, rrsets, true, MAX_NAMES);
  }

  /** {@link #ofDistinct} holding at most {@code maxNames} names, now and after any delta. */
  static ZoneIndex ofDistinct(
      Version version, List<String> zones, Iterable<RRSet> rrsets, int maxNames) {
    return of(version, zones, rrsets, true, maxNames);
  }

  /**
   * Builds an index from RRsets given as their parts, each key once (a full sync's wire form, read
   * by {@code WireSnapshot}): the same index {@link #ofDistinct} gives for the same RRsets, with
   * the same checks, for less work and garbage. No model {@code RRSet} or {@code Rdata} is made, a
   * plain name ({@link #plain}) is its own key without a dnsjava {@code Name} in between, and each
   * name's count of owners below it is kept in a mutable entry linked to its parent's, so a new
   * owner bumps its ancestors without looking them up or allocating for them. A full sync's index
   * build is most of a fresh resolver's sync, and at 10k Services the young collections its garbage
   * caused were most of the build.
   */
  static final class Builder {
    // The names so far, in insertion order: key, sets, owners below, and the parent's entry (-1
    // above the root). No per-name entry object: a fresh resolver's heap grows through the build,
    // and every object live in it is copied by the young collections on the way.
    private String[] keys;
    private int[] hashes; // each key's KeyedHash
    private RecordSet[][] sets;
    private int[] below;
    private int[] parents;
    private int size;
    // Open addressing: entry + 1 by hash, 0 when free; at most half full. Placed by the keyed hash,
    // not String.hashCode: tenants choose names, and names sharing a hashCode would pile up in one
    // run of slots, each insert probing past all the others (quadratic in their number).
    private int[] slots;
    private int count;
    private final int maxNames;

    /** A builder sized for about {@code expected} RRsets (a hint: it grows as needed). */
    Builder(int expected) {
      this(expected, MAX_NAMES);
    }

    /** A builder whose index holds at most {@code maxNames} names, now and after any delta. */
    Builder(int expected, int maxNames) {
      this.maxNames = maxNames;
      // About 1.2 names per RRset as the controller emits them (owners and the empty non-terminals
      // above them); never more than the index may hold, so a hostile count cannot size huge arrays
      // up front.
      int n = Math.min(Math.max(expected, 8) * 5 / 4, Math.max(maxNames, 8));
      keys = new String[n];
      hashes = new int[n];
      sets = new RecordSet[n][];
      below = new int[n];
      parents = new int[n];
      slots = new int[Integer.highestOneBit(n) << 2];
    }

    /**
     * Adds the RRset of {@code type} at {@code name} (absolute, lower-case).
     *
     * @throws IllegalArgumentException if the name or an rdata is malformed or the RRset repeats
     */
    void add(String name, int type, int ttl, byte[][] rdata) {
      String key;
      Name owner;
      if (plain(name)) {
        key = name; // its own presentation form
        owner = Name.root; // the rdata checks only need an absolute owner
      } else {
        owner = name(name);
        key = key(owner);
      }
      RecordSet set = RecordSet.validated(owner, name, type, ttl, rdata);
      int hash = KeyedHash.of(key);
      int e = find(key, 0, hash);
      if (e < 0) {
        e = insert(key, hash);
        link(e);
      } else {
        for (RecordSet s : sets[e]) {
          if (s.type() == type) {
            throw new IllegalArgumentException("duplicate RRset " + name + "/" + type);
          }
        }
        if (sets[e].length >= MAX_SETS_PER_NAME) {
          throw tooManySets(name);
        }
      }
      count++;
      RecordSet[] had = sets[e];
      RecordSet[] now = java.util.Arrays.copyOf(had, had.length + 1);
      now[had.length] = set;
      sets[e] = now;
      if (had.length == 0) {
        for (int a = parents[e]; a >= 0; a = parents[a]) {
          below[a]++;
        }
      }
    }

    /** Links new entry {@code e} to its parent's, making missing ancestors (empty, so far). */
    private void link(int e) {
      String key = keys[e];
      int child = e;
      for (int from = parentStart(key, 0); from >= 0; from = parentStart(key, from)) {
        int hash = KeyedHash.of(key, from);
        int a = find(key, from, hash);
        if (a >= 0) {
          parents[child] = a;
          return;
        }
        a = insert(key.substring(from), hash); // only a new name's key is made
        parents[child] = a;
        child = a;
      }
      parents[child] = -1;
    }

    /** The entry whose key is {@code key} from {@code from} on, of hash {@code hash}; else -1. */
    private int find(String key, int from, int hash) {
      int length = key.length() - from;
      int mask = slots.length - 1;
      for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask) {
        int e = slots[i] - 1;
        if (hashes[e] == hash && keys[e].length() == length && key.startsWith(keys[e], from)) {
          return e;
        }
      }
      return -1;
    }

    /** A new entry for {@code key} (absent) with no sets and no parent yet; returns it. */
    private int insert(String key, int hash) {
      if (size == maxNames) {
        throw tooManyNames(maxNames);
      }
      if (size == keys.length) {
        int n = 2 * size;
        keys = java.util.Arrays.copyOf(keys, n);
        hashes = java.util.Arrays.copyOf(hashes, n);
        sets = java.util.Arrays.copyOf(sets, n);
        below = java.util.Arrays.copyOf(below, n);
        parents = java.util.Arrays.copyOf(parents, n);
      }
      if (2 * (size + 1) > slots.length) {
        slots = new int[2 * slots.length];
        for (int e = 0; e < size; e++) {
          slots[free(hashes[e])] = e + 1;
        }
      }
      int e = size++;
      keys[e] = key;
      hashes[e] = hash;
      sets[e] = Owner.NONE;
      slots[free(hash)] = e + 1;
      return e;
    }

    private int free(int hash) {
      int mask = slots.length - 1;
      int i = hash & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      return i;
    }

    /**
     * The slots a lookup of every name probes in all: the names' count when none is displaced,
     * about 1.5 times it at the table's half load. Lets tests check that no names pile up.
     */
    long probes() {
      int mask = slots.length - 1;
      long probes = 0;
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] != 0) {
          probes += ((i - (hashes[slots[i] - 1] & mask)) & mask) + 1;
        }
      }
      return probes;
    }

    /**
     * The index of the RRsets added, as {@code version} of {@code zones}.
     *
     * @throws IllegalArgumentException if a zone lacks its SOA or its name is malformed
     */
    ZoneIndex build(Version version, List<String> zones) {
      var owners = new Object[size];
      for (int e = 0; e < size; e++) {
        owners[e] = new Owner(sets[e], below[e]).stored();
      }
      HashTrie<Object> trie = HashTrie.of(java.util.Arrays.copyOf(keys, size), owners);
      var zoneMap = new java.util.HashMap<String, Zone>();
      for (String apex : zones) {
        String key = key(name(apex));
        zoneMap.put(key, zone(key, Owner.of(trie.get(key))));
      }
      return new ZoneIndex(
          version, List.copyOf(zones), HashTrie.of(zoneMap), trie, count, maxNames);
    }
  }

  /**
   * Whether {@code name} (absolute, lower-case) is plain: labels of 1 to 63 of {@code a-z 0-9 - _
   * *}, short enough for any name limit. Such a name is its own key (dnsjava parses it and prints
   * it back unchanged, nothing to escape), so it needs no {@code Name} to find it.
   */
  static boolean plain(String name) {
    int n = name.length();
    if (n < 2 || n > 250 || name.charAt(n - 1) != '.') {
      return false;
    }
    int label = 0;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
      } else if ((c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '*') {
        if (++label > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return true;
  }

  private static ZoneIndex of(
      Version version, List<String> zones, Iterable<RRSet> rrsets, boolean distinct, int maxNames) {
    // Built in plain maps first, then turned into tries in one pass: a full sync allocates the
    // index once instead of one path copy per RRset and ancestor.
    var names = new java.util.HashMap<String, Owner>();
    int count = 0;
    for (RRSet s : rrsets) {
      Name owner = name(s.name());
      String key = key(owner);
      RecordSet set = RecordSet.validated(owner, s);
      Owner o = names.get(key);
      if (o == null || o.get(s.type()) == null) {
        count++;
        if (o != null && o.sets().length >= MAX_SETS_PER_NAME) {
          throw tooManySets(s.name());
        }
      } else if (distinct) {
        throw new IllegalArgumentException("duplicate RRset " + s.key());
      }
      names.put(key, o == null ? new Owner(new RecordSet[] {set}, 0) : o.with(set));
      if (o == null || o.sets().length == 0) {
        for (String p = parent(key); p != null; p = parent(p)) {
          Owner a = names.get(p);
          names.put(p, a == null ? new Owner(Owner.NONE, 1) : new Owner(a.sets(), a.below() + 1));
        }
      }
      if (names.size() > maxNames) {
        throw tooManyNames(maxNames);
      }
    }
    var zoneMap = new java.util.HashMap<String, Zone>();
    for (String apex : zones) {
      String key = key(name(apex));
      zoneMap.put(key, zone(key, names.get(key)));
    }
    var keys = new String[names.size()];
    var entries = new Object[keys.length];
    int i = 0;
    for (var e : names.entrySet()) {
      keys[i] = e.getKey();
      entries[i++] = e.getValue().stored();
    }
    return new ZoneIndex(
        version,
        List.copyOf(zones),
        HashTrie.of(zoneMap),
        HashTrie.of(keys, entries),
        count,
        maxNames);
  }

  /**
   * This index with {@code delta} applied, sharing every part the delta does not touch; this index
   * is unchanged. The caller checks that the delta's base is this version.
   *
   * @throws IllegalArgumentException if a name or rdata is malformed or a zone lacks its SOA
   */
  public ZoneIndex apply(Delta delta) {
    if (!delta.base().equals(version)) {
      throw new IllegalArgumentException(
          "delta base " + delta.base() + " does not match held version " + version);
    }
    return change(delta.version(), delta.zones(), delta.upserts(), delta.removals());
  }

  private ZoneIndex change(
      Version next, List<String> nextZones, Iterable<RRSet> upserts, List<RRKey> removals) {
    HashTrie<Object> n = names;
    int count = rrsets;
    Set<String> soaChanged = new HashSet<>();
    for (RRKey k : removals) {
      String key = key(name(k.name()));
      Owner o = Owner.of(n.get(key));
      if (o != null && o.get(k.type()) != null) {
        n = without(n, key, o, k.type());
        count--;
        if (k.type() == Type.SOA) {
          soaChanged.add(key);
        }
      }
    }
    for (RRSet s : upserts) {
      Name owner = name(s.name());
      String key = key(owner);
      RecordSet set = RecordSet.validated(owner, s);
      Owner o = Owner.of(n.get(key));
      if (o == null || o.get(s.type()) == null) {
        count++;
        if (o != null && o.sets().length >= MAX_SETS_PER_NAME) {
          throw tooManySets(s.name());
        }
      }
      n = with(n, key, o, set);
      if (n.size() > maxNames) {
        throw tooManyNames(maxNames);
      }
      if (s.type() == Type.SOA) {
        soaChanged.add(key);
      }
    }
    HashTrie<Zone> z = zones;
    Set<String> zoneKeys = null; // the zone set, when it changed
    if (!nextZones.equals(zoneList)) {
      zoneKeys = new HashSet<>();
      for (String apex : nextZones) {
        zoneKeys.add(key(name(apex)));
      }
      for (String apex : zoneList) {
        String key = key(name(apex));
        if (!zoneKeys.contains(key)) {
          z = z.remove(key);
        }
      }
      for (String key : zoneKeys) {
        if (z.get(key) == null) {
          soaChanged.add(key);
        }
      }
    }
    for (String key : soaChanged) {
      boolean served = zoneKeys != null ? zoneKeys.contains(key) : z.get(key) != null;
      if (served) {
        z = z.put(key, zone(key, Owner.of(n.get(key))));
      }
    }
    return new ZoneIndex(next, List.copyOf(nextZones), z, n, count, maxNames);
  }

  /** How many names the index holds: owners and the empty non-terminals above them. */
  public int nameCount() {
    return names.size();
  }

  private static IllegalArgumentException tooManySets(String name) {
    return new IllegalArgumentException(
        "more than " + MAX_SETS_PER_NAME + " RRsets at " + name + ", the most a name holds");
  }

  private static IllegalArgumentException tooManyNames(int maxNames) {
    return new IllegalArgumentException(
        "more than "
            + maxNames
            + " names (owners and the empty non-terminals above them), the most an index holds");
  }

  private static Zone zone(String key, Owner apex) {
    RecordSet soa = apex == null ? null : apex.get(Type.SOA);
    if (soa == null) {
      throw new IllegalArgumentException("zone " + key + " has no SOA");
    }
    Name apexName = name(key);
    if (!(soa.first(apexName) instanceof SOARecord r)) {
      throw new IllegalArgumentException("zone " + key + " has a malformed SOA");
    }
    long negativeTtl = Math.min(r.getTTL(), r.getMinimum());
    var negative =
        new SOARecord(
            apexName,
            r.getDClass(),
            negativeTtl,
            r.getHost(),
            r.getAdmin(),
            r.getSerial(),
            r.getRefresh(),
            r.getRetry(),
            r.getExpire(),
            r.getMinimum());
    return new Zone(apexName, negative, NegativeSoa.of(apexName, negative));
  }

  /** {@code n} with {@code set} stored at {@code key}; a new owner counts itself in its parents. */
  private static HashTrie<Object> with(HashTrie<Object> n, String key, Owner o, RecordSet set) {
    boolean newOwner = o == null || o.sets().length == 0;
    n = n.put(key, o == null ? set : o.with(set).stored());
    if (newOwner) {
      for (String p = parent(key); p != null; p = parent(p)) {
        Owner a = Owner.of(n.get(p));
        n = n.put(p, a == null ? new Owner(Owner.NONE, 1) : new Owner(a.sets(), a.below() + 1));
      }
    }
    return n;
  }

  /** {@code n} without the set of {@code type} at {@code key}; names left empty disappear. */
  private static HashTrie<Object> without(HashTrie<Object> n, String key, Owner o, int type) {
    Owner left = o.without(type);
    n = left.sets().length == 0 && left.below() == 0 ? n.remove(key) : n.put(key, left.stored());
    if (left.sets().length == 0) {
      for (String p = parent(key); p != null; p = parent(p)) {
        Owner a = Owner.of(n.get(p));
        var less = new Owner(a.sets(), a.below() - 1);
        n = less.below() == 0 && less.sets().length == 0 ? n.remove(p) : n.put(p, less.stored());
      }
    }
    return n;
  }

  public Version version() {
    return version;
  }

  /** The zone apexes, as the controller listed them. */
  public List<String> zones() {
    return zoneList;
  }

  /** How many RRsets the index holds. */
  public int rrsetCount() {
    return rrsets;
  }

  /** Every RRset, in no particular order (for the snapshot file). */
  public void forEachRRSet(Consumer<RRSet> action) {
    names.forEach(
        (key, entry) -> {
          if (entry instanceof RecordSet s) {
            action.accept(s.toRRSet(key));
          } else {
            for (RecordSet s : ((Owner) entry).sets()) {
              action.accept(s.toRRSet(key));
            }
          }
        });
  }

  /** A snapshot of the same content: O(size), for tests and the snapshot file. */
  public Snapshot snapshot() {
    var all = new java.util.ArrayList<RRSet>(rrsets);
    forEachRRSet(all::add);
    return new Snapshot(version, zoneList, all);
  }

  /** The most specific served zone containing {@code name}, or null when none does. */
  public Zone zoneOf(Name name) {
    for (String k = key(name); k != null; k = parent(k)) {
      Zone z = zones.get(k);
      if (z != null) {
        return z;
      }
    }
    return null;
  }

  /** The records of {@code type} at {@code name}, or null. Names compare case-insensitively. */
  public RecordSet find(Name name, int type) {
    return find(key(name), type);
  }

  /** The records of {@code type} at the name with lower-case presentation {@code key}, or null. */
  public RecordSet find(String key, int type) {
    Object entry = names.get(key);
    if (entry instanceof RecordSet s) {
      return s.type() == type ? s : null;
    }
    return entry == null ? null : ((Owner) entry).get(type);
  }

  /**
   * The most labels of any zone apex, not counting the root's ({@code minilb.} has one): no name
   * with more labels is an apex.
   */
  public int apexLabels() {
    return apexLabels;
  }

  /**
   * The zone whose apex has the lower-case presentation {@code key} (exactly: not a zone above it),
   * or null.
   */
  public Zone zoneAt(String key) {
    return zones.get(key);
  }

  /** Whether the name with lower-case presentation {@code key} owns any records. */
  public boolean hasRecords(String key) {
    Object entry = names.get(key);
    return entry instanceof RecordSet || entry != null && ((Owner) entry).sets().length > 0;
  }

  /**
   * Whether the name with lower-case presentation {@code key} exists (see {@link #exists(Name)}).
   */
  public boolean exists(String key) {
    return names.get(key) != null;
  }

  /** Whether {@code name} owns any records (an empty non-terminal owns none). */
  public boolean hasRecords(Name name) {
    return hasRecords(key(name));
  }

  /** Whether {@code name} exists: it owns records or is an empty non-terminal above an owner. */
  public boolean exists(Name name) {
    return names.get(key(name)) != null;
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
      return hasRecords(wild) ? wild : null;
    } catch (org.xbill.DNS.NameTooLongException e) {
      return null;
    }
  }

  /** Visits the internal nodes of the name map: lets tests check what a change shares. */
  void forEachNameNode(Consumer<Object> visitor) {
    names.forEachNode(visitor);
  }

  /** The most names a lookup compares (see {@link HashTrie#longestScan}), for tests. */
  int longestNameScan() {
    return names.longestScan();
  }

  static String key(Name name) {
    return name.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The key of the parent name; null above the root. Skips escaped dots ({@code \.}, {@code \046}).
   */
  static String parent(String key) {
    int i = parentStart(key, 0);
    return i < 0 ? null : key.substring(i);
  }

  /**
   * Where the parent of the name whose key is {@code key} from {@code from} on starts in {@code
   * key}; -1 above the root. Skips escaped dots ({@code \.}, {@code \046}).
   */
  static int parentStart(String key, int from) {
    int n = key.length();
    if (n - from == 1 && key.charAt(from) == '.') {
      return -1;
    }
    for (int i = from; i < n; i++) {
      char c = key.charAt(i);
      if (c == '\\') {
        i += i + 1 < n && Character.isDigit(key.charAt(i + 1)) ? 3 : 1;
      } else if (c == '.') {
        return i + 1 == n ? n - 1 : i + 1;
      }
    }
    return -1;
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad name " + s, e);
    }
  }
}
