import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Propagation through the shipped processes: C EndpointSlice changes made through the API server
 * (as kubectl would: read the object, then write it back changed), each timed from the write until
 * every resolver answers with the new address over UDP. Change k adds one endpoint to the slice of
 * a different Service, so every change is a one-endpoint delta.
 *
 * <pre>
 * java -cp demo/target/minilb-demo.jar bench/Propagation.java KUBECONFIG SERVICES CHANGES HOST:PORT...
 * </pre>
 *
 * Prints one "propagation:" line; with {@code -Dpropagation.log=FILE}, also writes each change's
 * start (wall clock), API write and total time to FILE, to line them up with the processes' logs;
 * exits 1 if a change does not reach every resolver in 30 s.
 *
 * <p>With {@code -Dpropagation.trace=LOG,...} (the controller's log first, then resolver logs at
 * {@code --log-level debug}), each change is also split by those logs' timestamps: when the
 * controller published it (the first "published" line after the change started), when the last
 * traced resolver applied that version ("delta V applied"), and when the last answer came: one line
 * per change in the log file, and the medians and the slowest change on stdout.
 *
 * <p>Before the first change the bench warms up its own side, so that the first change times
 * minilb rather than the bench's cold client: its DNS client encodes and decodes one query locally;
 * its API client serializes an EndpointSlice locally and creates and then updates a scratch
 * ConfigMap (a kind minilb does not watch, so no minilb process sees these writes); and each
 * resolver is asked once for a name it already serves, until it answers. A resolver in service has
 * answered long before any change, so its first answer ever (Netty's pooled buffers, the answer
 * path's classes; see FirstAnswerIT) is not propagation. Nothing of the controller's path is
 * exercised by the warm-up: no object it watches is written.
 */
public final class Propagation {

  private static final long TIMEOUT_NANOS = 30_000_000_000L;

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: Propagation KUBECONFIG SERVICES CHANGES HOST:PORT...");
      System.exit(2);
    }
    int services = Integer.parseInt(args[1]);
    int changes = Integer.parseInt(args[2]);
    var resolvers = new ArrayList<InetSocketAddress>();
    for (int i = 3; i < args.length; i++) {
      int colon = args[i].lastIndexOf(':');
      resolvers.add(
          new InetSocketAddress(
              args[i].substring(0, colon), Integer.parseInt(args[i].substring(colon + 1))));
    }
    var config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        var socket = new DatagramSocket()) {
      socket.setSoTimeout(200);
      warmClient();
      warmWrite(client);
      for (var r : resolvers) {
        warmResolver(socket, r, Name.fromString("svc0.ns0.minilb."));
      }
      long[] micros = new long[changes];
      long[] writeMicros = new long[changes];
      long[] startedAt = new long[changes];
      for (int k = 0; k < changes; k++) {
        // Spread the changes over the Services; each Service is changed at most once.
        int svc = (int) ((long) k * services / changes);
        String ns = "ns" + (svc % 50);
        String added = "10.200." + (k / 256 % 256) + "." + (k % 256);
        var slices = client.discovery().v1().endpointSlices().inNamespace(ns);
        EndpointSlice slice = slices.withName("svc" + svc + "-x").get();
        if (slice == null) {
          fail("EndpointSlice " + ns + "/svc" + svc + "-x not found");
        }
        var endpoints = new ArrayList<Endpoint>(slice.getEndpoints());
        endpoints.add(new EndpointBuilder().withAddresses(added).build());
        slice.setEndpoints(endpoints);
        Name name = Name.fromString("svc" + svc + "." + ns + ".minilb.");
        startedAt[k] = System.currentTimeMillis();
        long t0 = System.nanoTime();
        slices.resource(slice).update();
        writeMicros[k] = (System.nanoTime() - t0) / 1000;
        var pending = new ArrayList<>(resolvers);
        while (!pending.isEmpty()) {
          pending.removeIf(r -> answers(socket, r, name, added));
          if (System.nanoTime() - t0 > TIMEOUT_NANOS) {
            fail(
                "change "
                    + (k + 1)
                    + " ("
                    + name
                    + " gains "
                    + added
                    + ") did not reach "
                    + pending
                    + " in 30 s");
          }
          if (!pending.isEmpty()) {
            Thread.sleep(1);
          }
        }
        micros[k] = (System.nanoTime() - t0) / 1000;
      }
      String trace = System.getProperty("propagation.trace");
      Trace traced = trace == null ? null : Trace.read(trace.split(","));
      String log = System.getProperty("propagation.log");
      if (log != null) {
        var lines = new ArrayList<String>();
        for (int k = 0; k < changes; k++) {
          lines.add(
              String.format(
                      Locale.ROOT,
                      "%s change %d write %.1f ms total %.1f ms",
                      Instant.ofEpochMilli(startedAt[k]),
                      k + 1,
                      writeMicros[k] / 1000.0,
                      micros[k] / 1000.0)
                  + (traced == null ? "" : traced.split(startedAt[k], micros[k])));
        }
        Files.write(Path.of(log), lines);
      }
      if (traced != null) {
        traced.summarise(startedAt, micros);
      }
      Arrays.sort(micros);
      Arrays.sort(writeMicros);
      System.out.printf(
          Locale.ROOT,
          "propagation: %d changes to %d resolvers at %d services: p50 %.1f ms, p99 %.1f ms, max"
              + " %.1f ms (of which the API server's write: p50 %.1f ms, max %.1f ms)%n",
          changes,
          resolvers.size(),
          services,
          percentile(micros, 0.50),
          percentile(micros, 0.99),
          micros[changes - 1] / 1000.0,
          percentile(writeMicros, 0.50),
          writeMicros[changes - 1] / 1000.0);
    }
  }

  /**
   * Loads dnsjava's message classes in this process (as the first query would), so the first change
   * is not charged for them.
   */
  private static void warmClient() throws java.io.IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("warm.minilb."), Type.A, 1));
    Message reply = new Message(query.toWire());
    reply.getSection(Section.ANSWER).stream().anyMatch(r -> r instanceof ARecord);
  }

  /**
   * Loads what the API client's first write loads (the JSON serializers of an EndpointSlice, the
   * HTTP client's request-body path) by serializing a slice locally and creating then updating a
   * scratch ConfigMap, which no minilb process watches.
   */
  private static void warmWrite(KubernetesClient client) {
    client
        .getKubernetesSerialization()
        .asJson(
            new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
                .withNewMetadata()
                .withName("warm-up")
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(new EndpointBuilder().withAddresses("192.0.2.1").build())
                .build());
    var maps = client.configMaps().inNamespace("propagation-bench");
    var map =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("warm-up")
            .endMetadata()
            .addToData("write", "1")
            .build();
    var created = maps.resource(map).create();
    created.setData(Map.of("write", "2"));
    maps.resource(created).update();
  }

  /**
   * Asks {@code resolver} for {@code name} until it answers (at most 25 tries of 200 ms), so that
   * its first answer ever is not charged to the first change.
   */
  private static void warmResolver(DatagramSocket socket, InetSocketAddress resolver, Name name)
      throws java.io.IOException {
    for (int i = 0; i < 25; i++) {
      Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
      byte[] out = query.toWire();
      socket.send(new DatagramPacket(out, out.length, resolver));
      byte[] in = new byte[1232];
      try {
        while (true) {
          var packet = new DatagramPacket(in, in.length);
          socket.receive(packet);
          Message reply = new Message(Arrays.copyOf(in, packet.getLength()));
          if (reply.getHeader().getID() == query.getHeader().getID()) {
            return;
          }
        }
      } catch (SocketTimeoutException e) {
        // asked again
      }
    }
    fail("resolver " + resolver + " did not answer the warm-up query in 5 s");
  }

  /**
   * The processes' own timestamps of each change: the controller's "published V" lines and the
   * resolvers' "delta V applied" lines (millisecond wall clock, as the bench's).
   */
  private record Trace(java.util.TreeMap<Long, String> published, List<Map<String, Long>> applied) {
    private static final java.util.regex.Pattern TIME =
        java.util.regex.Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:\\d\\d))");
    private static final java.util.regex.Pattern PUBLISHED =
        java.util.regex.Pattern.compile(" published (\\S+) ");
    private static final java.util.regex.Pattern APPLIED =
        java.util.regex.Pattern.compile(" delta (\\S+) applied");

    static Trace read(String[] files) throws java.io.IOException {
      var published = new java.util.TreeMap<Long, String>();
      var applied = new ArrayList<Map<String, Long>>();
      for (int i = 0; i < files.length; i++) {
        var versions = new java.util.HashMap<String, Long>();
        for (String line : Files.readAllLines(Path.of(files[i]))) {
          var time = TIME.matcher(line);
          if (!time.find()) {
            continue;
          }
          long at = java.time.OffsetDateTime.parse(time.group(1)).toInstant().toEpochMilli();
          var p = PUBLISHED.matcher(line);
          var a = APPLIED.matcher(line);
          if (i == 0 && p.find()) {
            published.put(at, p.group(1));
          } else if (i > 0 && a.find()) {
            versions.put(a.group(1), at);
          }
        }
        if (i > 0) {
          applied.add(versions);
        }
      }
      return new Trace(published, applied);
    }

    /** {publish, last apply} in ms after {@code start}; -1 where a log has no line for it. */
    long[] stages(long start) {
      var p = published.ceilingEntry(start);
      if (p == null) {
        return new long[] {-1, -1};
      }
      long last = -1;
      for (var r : applied) {
        Long at = r.get(p.getValue());
        if (at == null) {
          return new long[] {p.getKey() - start, -1};
        }
        last = Math.max(last, at - start);
      }
      return new long[] {p.getKey() - start, last};
    }

    String split(long start, long micros) {
      long[] s = stages(start);
      return String.format(
          Locale.ROOT,
          " (published +%d ms, applied at every traced resolver +%d ms, answered +%.0f ms)",
          s[0],
          s[1],
          micros / 1000.0);
    }

    void summarise(long[] startedAt, long[] unsortedMicros) {
      int n = startedAt.length;
      long[] pub = new long[n];
      long[] app = new long[n];
      long[] ans = new long[n];
      int slowest = 0;
      for (int k = 0; k < n; k++) {
        long[] s = stages(startedAt[k]);
        pub[k] = s[0];
        app[k] = s[1] < 0 ? -1 : s[1] - s[0];
        ans[k] = s[1] < 0 ? -1 : unsortedMicros[k] / 1000 - s[1];
        if (unsortedMicros[k] > unsortedMicros[slowest]) {
          slowest = k;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "per change, p50 (slowest change, #%d): change to published %d ms (%d), published to"
              + " applied at every traced resolver %d ms (%d), applied to answered %d ms (%d)%n",
          slowest + 1,
          median(pub),
          pub[slowest],
          median(app),
          app[slowest],
          median(ans),
          ans[slowest]);
    }

    private static long median(long[] values) {
      long[] v = values.clone();
      Arrays.sort(v);
      return v[(v.length - 1) / 2];
    }
  }

  /** The nearest-rank percentile of sorted microseconds, in milliseconds. */
  private static double percentile(long[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)] / 1000.0;
  }

  /**
   * Whether {@code resolver} answers an A query for {@code name} with {@code address} among others.
   */
  private static boolean answers(
      DatagramSocket socket, InetSocketAddress resolver, Name name, String address) {
    try {
      Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
      byte[] out = query.toWire();
      socket.send(new DatagramPacket(out, out.length, resolver));
      byte[] in = new byte[1232];
      while (true) {
        var packet = new DatagramPacket(in, in.length);
        socket.receive(packet);
        Message reply = new Message(Arrays.copyOf(in, packet.getLength()));
        if (reply.getHeader().getID() != query.getHeader().getID()) {
          continue; // a late answer to an earlier query
        }
        List<Record> answer = reply.getSection(Section.ANSWER);
        return answer.stream()
            .anyMatch(
                r -> r instanceof ARecord a && a.getAddress().getHostAddress().equals(address));
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void fail(String why) {
    System.err.println("propagation: " + why);
    System.exit(1);
  }
}
