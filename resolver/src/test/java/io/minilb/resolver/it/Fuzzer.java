package io.minilb.resolver.it;

import java.io.IOException;
import java.util.Random;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Hostile DNS messages, reproducible from a seed: random bytes, bit-flipped valid queries,
 * truncated headers, compression-pointer loops, absurd section counts.
 */
public final class Fuzzer {

  private static final String[] NAMES = {
    "web.default.minilb.",
    "big.default.minilb.",
    "minilb.",
    "x.apps.example.com.",
    "10.0.244.10.in-addr.arpa.",
    "example.com."
  };
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.ANY, Type.SRV, Type.PTR, Type.SOA, Type.NS, Type.TXT
  };

  private final Random random;
  private final byte[][] seeds;

  public Fuzzer(long seed) throws IOException {
    this.random = new Random(seed);
    this.seeds = new byte[NAMES.length * TYPES.length * 2][];
    int i = 0;
    for (String n : NAMES) {
      for (int t : TYPES) {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(n), t, DClass.IN));
        seeds[i++] = q.toWire();
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        seeds[i++] = q.toWire();
      }
    }
  }

  /** The next hostile message. */
  public byte[] next() {
    return switch (random.nextInt(6)) {
      case 0 -> randomBytes(random.nextInt(600));
      case 1 -> truncatedHeader();
      case 2 -> compressionLoop();
      case 3 -> absurdCounts();
      default -> bitFlips();
    };
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] truncatedHeader() {
    byte[] seed = seed();
    return java.util.Arrays.copyOf(seed, random.nextInt(Math.min(seed.length, 14)));
  }

  private byte[] bitFlips() {
    byte[] b = seed().clone();
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int bit = random.nextInt(b.length * 8);
      b[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return b;
  }

  /**
   * A question name that is a pointer to itself (or to a pointer back), the classic parser hang.
   */
  private byte[] compressionLoop() {
    byte[] b = new byte[12 + 2 + 4 + (random.nextBoolean() ? 0 : 2)];
    b[0] = (byte) random.nextInt(256);
    b[1] = (byte) random.nextInt(256);
    b[5] = 1; // QDCOUNT=1
    if (b.length == 18) {
      b[12] = (byte) 0xC0;
      b[13] = 12; // points at itself
    } else {
      b[12] = (byte) 0xC0;
      b[13] = 14;
      b[14] = (byte) 0xC0;
      b[15] = 12; // two pointers pointing at each other
    }
    b[b.length - 3] = 1; // type A
    b[b.length - 1] = 1; // class IN
    return b;
  }

  private byte[] absurdCounts() {
    byte[] b = seed().clone();
    for (int i = 4; i < 12; i += 2) {
      if (random.nextBoolean()) {
        b[i] = (byte) 0xFF;
        b[i + 1] = (byte) 0xFF;
      }
    }
    return b;
  }

  private byte[] seed() {
    return seeds[random.nextInt(seeds.length)];
  }

  public Random random() {
    return random;
  }
}
