// Converts a zone file into the resolver's snapshot file (written by the resolver's own
// SnapshotFile: header, CRC32C, records), so Knot and minilb serve exactly the same data in the
// benchmarks. A single-file program:
//   java -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' bench/ZoneToSnapshot.java ZONE OUT
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

public class ZoneToSnapshot {
  public static void main(String[] args) throws Exception {
    var sets = new LinkedHashMap<String, List<Record>>();
    var zones = new ArrayList<String>();
    try (var master = new Master(args[0])) {
      for (Record r; (r = master.nextRecord()) != null; ) {
        sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new ArrayList<>()).add(r);
        if (r.getType() == Type.SOA) {
          zones.add(r.getName().toString());
        }
      }
    }
    var rrsets = new ArrayList<RRSet>();
    for (var rs : sets.values()) {
      var first = rs.get(0);
      rrsets.add(new RRSet(first.getName().toString(), first.getType(), (int) first.getTTL(),
          rs.stream().map(r -> Rdata.of(r.rdataToWireCanonical())).toList()));
    }
    var snapshot = new Snapshot(new Version(1, 1), zones, rrsets);
    new SnapshotFile(Path.of(args[1])).write(snapshot);
    System.out.println("wrote " + rrsets.size() + " rrsets to " + args[1]);
  }
}
