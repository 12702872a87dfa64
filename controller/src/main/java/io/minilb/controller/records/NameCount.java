package io.minilb.controller.records;

import io.minilb.snapshot.RRSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names a resolver's index makes of a snapshot's records, counted as it counts them: every
 * owner and every ancestor up to the root (the empty non-terminals), each once. The set is closed
 * under taking the parent, so a walk up from a new owner stops at the first name already held. Not
 * thread-safe; one per build.
 */
final class NameCount {

  private final Set<String> names = new HashSet<>();

  /** Names held so far. */
  int size() {
    return names.size();
  }

  /** Adds absolute {@code name} and its ancestors. */
  void add(String name) {
    for (String n = name.toLowerCase(Locale.ROOT); n != null && names.add(n); n = parent(n)) {
      // each new name's parent may be new too
    }
  }

  /**
   * The names that {@code sets} and {@code apexes} would add, without adding them: a part is
   * admitted only when these fit, then {@link #addAll}.
   */
  List<String> missing(List<RRSet> sets, List<RRSet> more, Collection<String> apexes) {
    var out = new ArrayList<String>();
    var seen = new HashSet<String>();
    for (List<RRSet> list : List.of(sets, more)) {
      for (RRSet s : list) {
        missing(s.name(), seen, out);
      }
    }
    apexes.forEach(a -> missing(a.toLowerCase(Locale.ROOT), seen, out));
    return out;
  }

  private void missing(String name, Set<String> seen, List<String> out) {
    for (String n = name; n != null && !names.contains(n) && seen.add(n); n = parent(n)) {
      out.add(n);
    }
  }

  void addAll(List<String> missing) {
    names.addAll(missing);
  }

  /**
   * Names {@code sets} make on their own, owners and ancestors each once: what they can add to any
   * count at most.
   */
  static int of(List<RRSet> sets) {
    var own = new NameCount();
    String last = null;
    for (RRSet s : sets) {
      if (!s.name().equals(last)) { // RRsets sorted by owner: skips the walk for an owner's next
        own.add(s.name());
        last = s.name();
      }
    }
    return own.size();
  }

  /** {@code name} and its ancestors: at most what one owner adds. */
  static int withAncestors(String name) {
    int n = 1;
    for (String p = parent(name); p != null; p = parent(p)) {
      n++;
    }
    return n;
  }

  /**
   * The parent of absolute {@code name}; null above the root. Skips escaped dots ({@code \.},
   * {@code \046}) as the resolver's index does.
   */
  static String parent(String name) {
    int n = name.length();
    if (n == 1) {
      return null; // the root
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        i += i + 1 < n && Character.isDigit(name.charAt(i + 1)) ? 3 : 1;
      } else if (c == '.') {
        return i + 1 == n ? "." : name.substring(i + 1);
      }
    }
    return null;
  }
}
