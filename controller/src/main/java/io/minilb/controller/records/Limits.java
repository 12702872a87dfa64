package io.minilb.controller.records;

import io.minilb.proto.Messages;
import io.minilb.snapshot.Snapshot;

/**
 * How much of the cluster's input one build publishes, so that no object, and no number of objects,
 * can make a snapshot the resolvers cannot hold. Immutable; validated on construction.
 *
 * @param hostsPerObject extra names one object may claim: the {@code minilb/host} entries of a
 *     Service, the hosts of an Ingress, the hostnames of a route ({@code --max-hosts-per-object}).
 *     Names beyond it are not served and the object gets a {@code TooManyHosts} warning.
 * @param endpointsPerService addresses published for one Service ({@code
 *     --max-endpoints-per-service}): beyond it a fixed, stable subset is published with a {@code
 *     TooManyEndpoints} warning
 * @param records resource records in one snapshot ({@code --max-records}): objects are admitted
 *     oldest first, and one that would cross it publishes nothing, with a {@code
 *     RecordLimitReached} warning
 * @param recordsPerObject resource records one object may publish ({@code
 *     --max-records-per-object}), counting the NS and SOA of each zone its names create: beyond it
 *     a Service publishes a stable subset of its endpoints, and an object's hosts are served while
 *     they fit, with a {@code TooManyRecords} warning
 * @param names names in one snapshot as a resolver counts them, every owner and every empty
 *     non-terminal above one once ({@code --max-names}, at most {@link Snapshot#MAX_NAMES}, which
 *     resolvers reject): admitted oldest first like records, and an object whose names would cross
 *     it publishes nothing, with a {@code NameLimitReached} warning
 * @param snapshotBytes bytes of the snapshot as streamed, its protobuf encoding ({@code
 *     --max-snapshot-bytes}, at most {@link #MAX_SNAPSHOT_BYTES}): a resolver reads no larger
 *     response, and names of up to 255 octets, in owners and in PTR and SRV rdata, let a snapshot
 *     within the record and name limits pass 32 MiB (hosts of 253 characters in zones of their own
 *     encode to some 1,100 bytes for 3 records). Admitted oldest first like records, and an object
 *     whose bytes would cross it publishes nothing, with a {@code SnapshotSizeLimitReached} warning
 */
public record Limits(
    int hostsPerObject,
    int endpointsPerService,
    int records,
    int recordsPerObject,
    int names,
    int snapshotBytes) {

  /**
   * Names by default: a realistic 10k-Service cluster makes some 60,000, so the limit binds only
   * when names are far deeper than a cluster's (a host of 16 labels in a zone of its own makes up
   * to 17 names for 3 records), and leaves room below {@link Snapshot#MAX_NAMES} for a delta.
   */
  public static final int DEFAULT_NAMES = 400_000;

  /**
   * The most {@code --max-snapshot-bytes} may be, 28 MiB. gRPC copies the whole encoded message
   * into the controller's direct memory (32 MiB in the images, -XX:MaxDirectMemorySize) before the
   * socket takes it, in chunks of up to 1 MiB, and TLS wraps it in buffers of its own: at 32 MiB
   * less 1 KiB the copy failed for want of 1 MiB and no resolver could sync. 4 MiB are left for
   * those buffers. A resolver reads up to {@link Messages#MAX_RESPONSE_BYTES}, which is more.
   */
  public static final int MAX_SNAPSHOT_BYTES = 28 << 20;

  /**
   * The least the {@code --max-snapshot-bytes} flag takes, 64 KiB: the zones' SOA and NS records
   * and the glue are in every snapshot whatever the limit, so a limit below them could not hold
   * (tests build with smaller limits to leave objects out of small clusters).
   */
  public static final int MIN_SNAPSHOT_BYTES = 64 << 10;

  /**
   * Snapshot bytes by default, 24 MiB: a 10k-Service cluster's snapshot takes 3.3 MiB
   * (docs/PERFORMANCE.md), and the 8 MiB left below {@link Messages#MAX_RESPONSE_BYTES} keep a
   * resolver's direct memory, which holds a message being read at up to twice its size, clear of
   * its 64 MiB.
   */
  public static final int DEFAULT_SNAPSHOT_BYTES = 24 << 20;

  /**
   * Sized for real clusters. 100 names cover an ingress controller's Service or a busy route; 1,000
   * addresses keep a Service's largest RRset (AAAA, 28 octets each) under DNS's 64 KiB message and
   * are far more than any client uses; 100,000 records is about what the resolver's 96 MiB heap
   * holds twice during a full sync (a 10k-Service cluster, about 90,000 records); 10,000 records
   * hold a Service at the address limit with its endpoint names, two PTRs and three named ports per
   * address and three extra names (1,000 × 10), and keep any one object to a tenth of the snapshot.
   */
  public static final Limits DEFAULTS = new Limits(100, 1_000, 100_000, 10_000);

  public Limits {
    positive("--max-hosts-per-object", hostsPerObject);
    positive("--max-endpoints-per-service", endpointsPerService);
    positive("--max-records", records);
    positive("--max-records-per-object", recordsPerObject);
    positive("--max-names", names);
    if (names > Snapshot.MAX_NAMES) {
      throw new IllegalArgumentException(
          "--max-names must be at most "
              + Snapshot.MAX_NAMES
              + " (what a resolver holds), got "
              + names);
    }
    positive("--max-snapshot-bytes", snapshotBytes);
    if (snapshotBytes > MAX_SNAPSHOT_BYTES) {
      throw new IllegalArgumentException(
          "--max-snapshot-bytes must be at most "
              + MAX_SNAPSHOT_BYTES
              + " (what the controller's 32 MiB of direct memory can send), got "
              + snapshotBytes);
    }
  }

  /** With the default {@link #DEFAULT_NAMES} and {@link #DEFAULT_SNAPSHOT_BYTES}. */
  public Limits(int hostsPerObject, int endpointsPerService, int records, int recordsPerObject) {
    this(hostsPerObject, endpointsPerService, records, recordsPerObject, DEFAULT_NAMES);
  }

  /** With the default {@link #DEFAULT_SNAPSHOT_BYTES}. */
  public Limits(
      int hostsPerObject, int endpointsPerService, int records, int recordsPerObject, int names) {
    this(
        hostsPerObject,
        endpointsPerService,
        records,
        recordsPerObject,
        names,
        DEFAULT_SNAPSHOT_BYTES);
  }

  private static void positive(String flag, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
    }
  }
}
