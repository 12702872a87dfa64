package io.minilb.snapshot;

import java.util.Locale;

/** Identifies an RRset: owner name (absolute, lower case) and RR type. Immutable. */
public record RRKey(String name, int type) implements Comparable<RRKey> {

  public RRKey {
    name = Names.canonical(name);
    if (type <= 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("bad RR type " + type);
    }
  }

  @Override
  public int compareTo(RRKey o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Integer.compare(type, o.type);
  }

  @Override
  public String toString() {
    return name + "/" + type;
  }

  /** Name rules shared by every value in this package. */
  static final class Names {
    private Names() {}

    static String canonical(String name) {
      if (name == null || name.isEmpty() || !name.endsWith(".")) {
        throw new IllegalArgumentException("name must be absolute (end with '.'): " + name);
      }
      return name.toLowerCase(Locale.ROOT);
    }
  }
}
