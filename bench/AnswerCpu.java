import io.minilb.resolver.dns.Answerer;
import io.minilb.resolver.dns.QueryMetrics;
import io.minilb.resolver.dns.Responder;
import io.minilb.resolver.store.Store;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * CPU time and bytes allocated per answer through the resolver's Responder (fast path first, the
 * general path behind it), for the three kinds of query in bench/dns-qps.sh: an A hit, AAAA NODATA,
 * A NXDOMAIN. In-process, one thread, no sockets: what the answering code itself costs.
 *   java -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/AnswerCpu.java
 *       [SERVICES] [ROUNDS] [QUERIES]
 */
public class AnswerCpu {

  public static void main(String[] args) throws Throwable {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int queries = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    var sets = new ArrayList<RRSet>();
    byte[] soa =
        new org.xbill.DNS.SOARecord(
                Name.fromString("minilb."),
                1,
                5,
                Name.fromString("ns.minilb."),
                Name.fromString("hostmaster.minilb."),
                1,
                60,
                30,
                3600,
                5)
            .rdataToWireCanonical();
    sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa))));
    for (int i = 0; i < services; i++) {
      var rdata = new ArrayList<Rdata>();
      for (int j = 0; j < 2 + i % 2; j++) {
        rdata.add(Rdata.of(new byte[] {10, (byte) j, (byte) (i >> 8), (byte) i}));
      }
      sets.add(new RRSet("svc" + i + ".ns" + (i % 20) + ".minilb.", Type.A, 5, rdata));
    }
    var store = new Store();
    store.replace(new Snapshot(new Version(1, 1), List.of("minilb."), sets));
    var responder =
        new Responder(store, new Answerer(""), null, new QueryMetrics(new PrometheusRegistry()));
    var lookup = MethodHandles.privateLookupIn(Responder.class, MethodHandles.lookup());
    var m =
        Responder.class.getDeclaredMethod(
            "respond", byte[].class, boolean.class, InetAddress.class, Consumer.class);
    m.setAccessible(true);
    MethodHandle respond = lookup.unreflect(m);
    InetAddress client = InetAddress.getLoopbackAddress();
    Consumer<byte[]> later = b -> {};
    String[] kinds = {"A hit", "AAAA NODATA", "A NXDOMAIN"};
    byte[][][] wires = new byte[3][services][];
    for (int i = 0; i < services; i++) {
      String name = "svc" + i + ".ns" + (i % 20) + ".minilb.";
      wires[0][i] = query(name, Type.A, i);
      wires[1][i] = query(name, Type.AAAA, i);
      wires[2][i] = query("nx" + i + ".ns" + (i % 20) + ".minilb.", Type.A, i);
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    var ns = new double[3][rounds];
    var bytes = new double[3][rounds];
    for (int round = -2; round < rounds; round++) { // two warm-up rounds
      for (int k = 0; k < 3; k++) {
        byte[][] w = wires[k];
        long cpu0 = threads.getCurrentThreadCpuTime();
        long mem0 = threads.getThreadAllocatedBytes(id);
        for (int q = 0; q < queries; q++) {
          Object r = respond.invoke(responder, w[q % services], true, client, later);
          if (r == null) {
            throw new AssertionError();
          }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long mem = threads.getThreadAllocatedBytes(id) - mem0;
        if (round >= 0) {
          ns[k][round] = (double) cpu / queries;
          bytes[k][round] = (double) mem / queries;
        }
      }
    }
    System.out.printf("%d services, %d rounds of %d queries each%n", services, rounds, queries);
    for (int k = 0; k < 3; k++) {
      System.out.printf(
          "%-12s median %7.0f ns/answer (rounds %s)  %6.0f bytes/answer%n",
          kinds[k], median(ns[k]), Arrays.toString(round(ns[k])), median(bytes[k]));
    }
  }

  private static byte[] query(String name, int type, int id) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, 1));
    q.getHeader().setID(id & 0xFFFF);
    return q.toWire();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static long[] round(double[] v) {
    return Arrays.stream(v).mapToLong(Math::round).toArray();
  }
}
