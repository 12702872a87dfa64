package io.minilb.controller.records;

import io.minilb.snapshot.Rdata;
import java.net.InetAddress;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;

/** Encodes record data in uncompressed wire format, with dnsjava doing the per-type layout. */
final class Encode {

  private Encode() {}

  static Rdata address(InetAddress a) {
    return Rdata.of(a.getAddress());
  }

  static Rdata ns(String target) {
    return Rdata.of(new NSRecord(Name.root, DClass.IN, 0, parse(target)).rdataToWireCanonical());
  }

  static Rdata name(String target) {
    return Rdata.of(new PTRRecord(Name.root, DClass.IN, 0, parse(target)).rdataToWireCanonical());
  }

  static Rdata srv(int priority, int weight, int port, String target) {
    return Rdata.of(
        new SRVRecord(Name.root, DClass.IN, 0, priority, weight, port, parse(target))
            .rdataToWireCanonical());
  }

  static Rdata soa(
      String mname,
      String rname,
      long serial,
      long refresh,
      long retry,
      long expire,
      long minimum) {
    var soa =
        new SOARecord(
            Name.root,
            DClass.IN,
            0,
            parse(mname),
            parse(rname),
            serial,
            refresh,
            retry,
            expire,
            minimum);
    return Rdata.of(soa.rdataToWireCanonical());
  }

  private static Name parse(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad name " + s, e);
    }
  }
}
