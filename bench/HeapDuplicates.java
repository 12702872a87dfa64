import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a heap dump's byte arrays and Strings are held by, and how many Strings are duplicates.
 * Reads an HPROF file (jcmd PID GC.heap_dump FILE) in two passes: the first collects classes and
 * their instance fields, every byte[] (length and a hash of its contents) and every String's value
 * array; the second walks every instance's and object array's references. Prints the byte[] and
 * String bytes by the class of the object that refers to them, and the Strings whose value occurs
 * more than once (count, bytes that one copy each would save).
 *
 * <p>java bench/HeapDuplicates.java FILE [TOP]
 */
public final class HeapDuplicates {

  private int idSize;
  private final Map<Long, String> utf8 = new HashMap<>();
  private final Map<Long, String> classNames = new HashMap<>();
  private final Map<Long, long[]> fieldTypes = new HashMap<>(); // class -> per field: type
  private final Map<Long, Long> superOf = new HashMap<>();
  private final Map<Long, Integer> byteArrayLength = new HashMap<>();
  private final Map<Long, Long> byteArrayHash = new HashMap<>();
  private final Map<Long, String> sample = new HashMap<>(); // content hash -> its first 48 bytes
  private final Map<Long, Long> stringValue = new HashMap<>(); // String id -> byte[] id
  private long stringClass = -1;
  private int stringValueOffset = -1;

  private final Map<String, long[]> bytesByReferrer = new HashMap<>(); // count, bytes
  private final Map<String, long[]> stringsByReferrer = new HashMap<>();
  private final Map<String, long[]> duplicatesByReferrer = new HashMap<>();
  private final Map<Long, long[]> byContent = new HashMap<>(); // count, bytes of one String

  private void countContents() {
    for (long v : stringValue.values()) {
      Long h = byteArrayHash.get(v);
      if (h != null) {
        long[] a = byContent.computeIfAbsent(h, k -> new long[2]);
        a[0]++;
        a[1] = 24 + align(16 + byteArrayLength.get(v));
      }
    }
  }

  public static void main(String[] args) throws IOException {
    var h = new HeapDuplicates();
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    h.read(args[0], false);
    h.countContents();
    h.read(args[0], true);
    h.report(top);
  }

  private void read(String file, boolean second) throws IOException {
    try (var in = new DataInputStream(new BufferedInputStream(new FileInputStream(file), 1 << 20))) {
      while (in.readByte() != 0) {}
      idSize = in.readInt();
      in.readLong();
      while (true) {
        int tag;
        try {
          tag = in.readUnsignedByte();
        } catch (EOFException e) {
          return;
        }
        in.readInt();
        long length = Integer.toUnsignedLong(in.readInt());
        if (tag == 0x01 && !second) {
          long id = id(in);
          byte[] b = new byte[(int) (length - idSize)];
          in.readFully(b);
          utf8.put(id, new String(b, StandardCharsets.UTF_8));
        } else if (tag == 0x02 && !second) {
          in.readInt();
          long cls = id(in);
          in.readInt();
          classNames.put(cls, utf8.get(id(in)));
        } else if (tag == 0x0C || tag == 0x1C) {
          heap(in, length, second);
        } else {
          in.skipNBytes(length);
        }
      }
    }
  }

  private void heap(DataInputStream in, long length, boolean second) throws IOException {
    long end = length;
    long read = 0;
    while (read < end) {
      int sub = in.readUnsignedByte();
      read += 1;
      switch (sub) {
        case 0xFF, 0x05, 0x07 -> read += skip(in, idSize);
        case 0x01 -> read += skip(in, 2 * idSize);
        case 0x02, 0x03, 0x08 -> read += skip(in, idSize + 8);
        case 0x04, 0x06 -> read += skip(in, idSize + 4);
        case 0x20 -> read += classDump(in, second);
        case 0x21 -> {
          long id = id(in);
          in.readInt();
          long cls = id(in);
          int n = in.readInt();
          byte[] b = new byte[n];
          in.readFully(b);
          read += 2 * idSize + 8 + n;
          instance(id, cls, b, second);
        }
        case 0x22 -> {
          id(in);
          in.readInt();
          int n = in.readInt();
          long cls = id(in);
          read += 2 * idSize + 8 + (long) n * idSize;
          String name = classNames.getOrDefault(cls, "?");
          for (int i = 0; i < n; i++) {
            long ref = id(in);
            if (second) {
              refer(name, ref);
            }
          }
        }
        case 0x23 -> {
          long id = id(in);
          in.readInt();
          int n = in.readInt();
          int type = in.readUnsignedByte();
          int size = n * size(type);
          read += idSize + 9 + size;
          if (type == 8 && !second) {
            byte[] b = new byte[size];
            in.readFully(b);
            byteArrayLength.put(id, n);
            long h = hash(b);
            byteArrayHash.put(id, h);
            sample.computeIfAbsent(
                h, k -> new String(b, 0, Math.min(48, b.length), StandardCharsets.ISO_8859_1));
          } else {
            in.skipNBytes(size);
          }
        }
        default -> throw new IOException("unknown heap sub-record " + sub);
      }
    }
  }

  private static long hash(byte[] b) {
    long h = 1125899906842597L;
    for (byte x : b) {
      h = 31 * h + x;
    }
    return h * 31 + b.length;
  }

  private long classDump(DataInputStream in, boolean second) throws IOException {
    long read = 0;
    long cls = id(in);
    in.readInt();
    long sup = id(in);
    for (int i = 0; i < 5; i++) {
      id(in);
    }
    in.readInt();
    read += 7 * idSize + 8;
    int cp = in.readUnsignedShort();
    read += 2;
    for (int i = 0; i < cp; i++) {
      in.readUnsignedShort();
      int t = in.readUnsignedByte();
      read += 3 + skip(in, size(t));
    }
    int statics = in.readUnsignedShort();
    read += 2;
    for (int i = 0; i < statics; i++) {
      id(in);
      int t = in.readUnsignedByte();
      read += idSize + 1 + skip(in, size(t));
    }
    int fields = in.readUnsignedShort();
    read += 2;
    long[] types = new long[fields];
    String[] names = new String[fields];
    for (int i = 0; i < fields; i++) {
      names[i] = utf8.get(id(in));
      types[i] = in.readUnsignedByte();
      read += idSize + 1;
    }
    if (!second) {
      fieldTypes.put(cls, types);
      superOf.put(cls, sup);
      if ("java/lang/String".equals(classNames.get(cls))) {
        stringClass = cls;
        int off = 0;
        for (int i = 0; i < fields; i++) {
          if ("value".equals(names[i])) {
            stringValueOffset = off;
          }
          off += size((int) types[i]);
        }
      }
    }
    return read;
  }

  private void instance(long id, long cls, byte[] b, boolean second) {
    if (!second) {
      if (cls == stringClass && stringValueOffset >= 0) {
        stringValue.put(id, readId(b, stringValueOffset));
      }
      return;
    }
    String name = classNames.getOrDefault(cls, "?");
    int off = 0;
    for (long c = cls; c != 0 && fieldTypes.containsKey(c); c = superOf.getOrDefault(c, 0L)) {
      for (long t : fieldTypes.get(c)) {
        if (t == 2) {
          refer(name, readId(b, off));
        }
        off += size((int) t);
      }
    }
  }

  private void refer(String referrer, long ref) {
    Integer len = byteArrayLength.get(ref);
    if (len != null && !"java/lang/String".equals(referrer)) {
      long[] a = bytesByReferrer.computeIfAbsent(referrer, k -> new long[2]);
      a[0]++;
      a[1] += align(16 + len);
    }
    Long value = stringValue.get(ref);
    if (value != null) {
      long[] a = stringsByReferrer.computeIfAbsent(referrer, k -> new long[2]);
      a[0]++;
      a[1] += 24 + align(16 + byteArrayLength.getOrDefault(value, 0));
      Long h = byteArrayHash.get(value);
      if (h != null && byContent.get(h)[0] > 1) {
        long[] d = duplicatesByReferrer.computeIfAbsent(referrer, k -> new long[2]);
        d[0]++;
        d[1] += byContent.get(h)[1];
      }
    }
  }

  private void report(int top) {
    long total = byteArrayLength.values().stream().mapToLong(n -> align(16 + n)).sum();
    System.out.printf("byte[]: %d arrays, %.1f MiB%n", byteArrayLength.size(), total / 1048576.0);
    print("byte[] (not a String's value) by referrer class", bytesByReferrer, top);
    print("Strings (with their byte[]) by referrer class", stringsByReferrer, top);
    print("references to Strings whose value occurs more than once, by referrer class", duplicatesByReferrer, top);
    long strings = stringValue.size();
    long dupCount = 0;
    long dupBytes = 0;
    for (long[] a : byContent.values()) {
      if (a[0] > 1) {
        dupCount += a[0] - 1;
        dupBytes += (a[0] - 1) * a[1];
      }
    }
    List<Map.Entry<Long, long[]>> dups = new ArrayList<>(byContent.entrySet());
    dups.sort((x, y) -> Long.compare((y.getValue()[0] - 1) * y.getValue()[1], (x.getValue()[0] - 1) * x.getValue()[1]));
    System.out.println("most duplicated String values (copies, MiB beyond one copy):");
    for (var e : dups.subList(0, Math.min(top, dups.size()))) {
      long[] a = e.getValue();
      System.out.printf("  %10d %8.2f  %s%n", a[0], (a[0] - 1) * a[1] / 1048576.0, sample.get(e.getKey()));
    }
    System.out.printf(
        "Strings: %d, distinct values %d; duplicates %d, %.1f MiB (one copy each would save)%n",
        strings, byContent.size(), dupCount, dupBytes / 1048576.0);
  }

  private static void print(String title, Map<String, long[]> m, int top) {
    System.out.println(title + " (count, MiB):");
    List<Map.Entry<String, long[]>> es = new ArrayList<>(m.entrySet());
    es.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    for (var e : es.subList(0, Math.min(top, es.size()))) {
      System.out.printf(
          "  %10d %8.2f  %s%n", e.getValue()[0], e.getValue()[1] / 1048576.0, e.getKey());
    }
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  private long readId(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < idSize; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private long id(DataInputStream in) throws IOException {
    return idSize == 4 ? Integer.toUnsignedLong(in.readInt()) : in.readLong();
  }

  private static long skip(DataInputStream in, int n) throws IOException {
    in.skipNBytes(n);
    return n;
  }

  private int size(int type) {
    return switch (type) {
      case 2 -> idSize;
      case 4, 8 -> 1;
      case 5, 9 -> 2;
      case 6, 10 -> 4;
      case 7, 11 -> 8;
      default -> throw new IllegalArgumentException("type " + type);
    };
  }
}
