package io.minilb.resolver.it;

import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Knot DNS ({@code knotd}, Debian package {@code knot}) serving the records of a {@link Snapshot}:
 * one master file per zone, rendered from the snapshot's wire rdata, and a minimal configuration in
 * a temporary folder (loopback listener, semantic checks, no DNSSEC, no transfers, no root). The
 * oracle that {@link KnotOracleIT} compares the resolver with. A missing {@code knotd} is an error,
 * not a skip: .ci/run installs it.
 */
final class Knot implements AutoCloseable {

  /** What both servers answer to {@code id.server}/{@code hostname.bind} CH TXT and in NSID. */
  static final String IDENTITY = "resolver";

  private final Process process;
  private final Path dir;
  private final InetSocketAddress address;

  private Knot(Process process, Path dir, InetSocketAddress address) {
    this.process = process;
    this.dir = dir;
    this.address = address;
  }

  /**
   * @param cookies load Knot's {@code mod-cookies} (DNS cookies, RFC 7873); without it Knot ignores
   *     the COOKIE option entirely
   */
  static Knot serve(Snapshot snapshot, boolean cookies) throws IOException, InterruptedException {
    String knotd = binary("knotd");
    Path dir = Files.createTempDirectory("minilb-knot");
    int port = freePort();
    var zones = new StringBuilder("zone:\n");
    int i = 0;
    for (var zone : masterFiles(snapshot).entrySet()) {
      Path file = dir.resolve("zone" + i++ + ".zone");
      Files.writeString(file, zone.getValue());
      zones.append("  - domain: \"").append(zone.getKey()).append("\"\n");
      zones.append("    file: \"").append(file).append("\"\n");
    }
    Files.writeString(dir.resolve("knot.conf"), config(dir, port, cookies) + zones);
    Path log = dir.resolve("knotd.log");
    Process p =
        new ProcessBuilder(knotd, "-c", dir.resolve("knot.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    var knot = new Knot(p, dir, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    try {
      knot.awaitZones(snapshot.zones());
    } catch (IOException | RuntimeException e) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      knot.close();
      throw new IllegalStateException("knotd did not serve the zones:\n" + out, e);
    }
    return knot;
  }

  private static String config(Path dir, int port, boolean cookies) {
    return """
        server:
            rundir: "%1$s"
            listen: 127.0.0.1@%2$d
            identity: "%3$s"
            nsid: "%3$s"
            version: ""
        log:
          - target: stderr
            any: warning
        database:
            storage: "%1$s/db"
        template:
          - id: default
            storage: "%1$s"
            semantic-checks: on
            zonefile-sync: -1
            journal-content: none
        %4$s
        """
        .formatted(dir, port, IDENTITY, cookies ? "    global-module: mod-cookies" : "");
  }

  /**
   * One master file per served zone, keyed by apex: every RRset goes to the zone of the longest
   * apex that contains its owner; RRsets outside every zone are left out (the resolver never serves
   * them).
   */
  static Map<String, String> masterFiles(Snapshot snapshot) {
    var files = new LinkedHashMap<String, StringBuilder>();
    snapshot.zones().forEach(z -> files.put(z, new StringBuilder()));
    snapshot.rrsets().values().stream()
        .sorted(Comparator.comparing(RRSet::key))
        .forEach(
            set -> {
              String zone =
                  snapshot.zones().stream()
                      .filter(z -> set.name().equals(z) || set.name().endsWith("." + z))
                      .max(Comparator.comparingInt(String::length))
                      .orElse(null);
              if (zone != null) {
                lines(set).forEach(l -> files.get(zone).append(l).append('\n'));
              }
            });
    var out = new LinkedHashMap<String, String>();
    files.forEach((zone, text) -> out.put(zone, text.toString()));
    return out;
  }

  /** The RRset as master-file lines, through dnsjava's presentation format. */
  static List<String> lines(RRSet set) {
    var out = new ArrayList<String>();
    try {
      Name owner = Name.fromString(set.name());
      for (var rdata : set.rdata()) {
        out.add(
            Record.newRecord(owner, set.type(), DClass.IN, set.ttl(), rdata.toByteArray())
                .toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  InetSocketAddress address() {
    return address;
  }

  /** Waits until every apex answers its SOA with NOERROR: listening is not yet serving. */
  private void awaitZones(List<String> zones) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    var pending = new ArrayList<>(zones);
    try (var socket = new DatagramSocket()) {
      socket.setSoTimeout(200);
      while (!pending.isEmpty()) {
        if (!process.isAlive()) {
          throw new IOException("knotd exited " + process.exitValue());
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("zones not served within 20 s: " + pending);
        }
        var query =
            Message.newQuery(Record.newRecord(Name.fromString(pending.get(0)), Type.SOA, 1));
        byte[] wire = query.toWire();
        socket.send(new DatagramPacket(wire, wire.length, address));
        var in = new DatagramPacket(new byte[4096], 4096);
        try {
          socket.receive(in);
          if (new Message(in.getData()).getRcode() == Rcode.NOERROR) {
            pending.remove(0);
          }
        } catch (SocketTimeoutException notYet) {
          // not listening yet, or the zone not loaded: ask again
        }
        Thread.sleep(pending.isEmpty() ? 0 : 20);
      }
    }
  }

  /** A port free for both UDP and TCP on loopback right now. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (var tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (var udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // the UDP port is in use: try another
        }
      }
    }
    throw new IOException("no free port");
  }

  /** The daemon on PATH or in the sbin folders; missing fails the test (.ci/run installs it). */
  private static String binary(String name) {
    var dirs = new ArrayList<>(List.of(System.getenv("PATH").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    return dirs.stream()
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    name + " is not installed: apt-get install knot (.ci/run installs it)"))
        .toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
