package io.minilb.controller.records;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names from annotations, Ingresses and routes: trimmed, lower-cased and checked against RFC
 * 1123 (ASCII labels of letters, digits and inner hyphens, at most 63 characters each, 253 in all).
 * A leading {@code *.} is a wildcard that matches exactly one label. At most {@link #MAX_LABELS}
 * labels: every resolver holds each ancestor of a name as an empty non-terminal, so a name of 127
 * one-letter labels would cost 126 index entries, and a few thousand of them every resolver's heap.
 */
public final class HostNames {

  /** The most labels a host name may have, its wildcard label included. */
  public static final int MAX_LABELS = 16;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /**
   * The outcome of parsing a comma list: the valid names, the rejected entries, and how many
   * entries were left unread because {@code valid} was already full.
   */
  public record Parsed(List<String> valid, List<String> invalid, int unread) {}

  private HostNames() {}

  /** Normalises one name (no trailing dot), or returns null when it is not a valid host name. */
  public static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String h = raw.trim();
    for (int i = 0; i < h.length(); i++) {
      // before lower-casing: the Kelvin sign U+212A would otherwise become an ASCII 'k'
      if (h.charAt(i) > 0x7E) {
        return null;
      }
    }
    h = h.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.length() > 253) {
      return null;
    }
    String rest = h.startsWith("*.") ? h.substring(2) : h;
    String[] labels = rest.split("\\.", -1);
    int wildcard = h.startsWith("*.") ? 1 : 0;
    if (labels.length < 1 + wildcard || labels.length + wildcard > MAX_LABELS) {
      return null;
    }
    for (String l : labels) {
      if (!LABEL.matcher(l).matches()) {
        return null;
      }
    }
    return h;
  }

  /** Parses a comma-separated list, keeping order and dropping duplicates and empty entries. */
  public static Parsed parseList(String list) {
    return parseList(list, Integer.MAX_VALUE);
  }

  /**
   * Like {@link #parseList(String)}, but stops once {@code max} names are valid: the entries after
   * that are only counted, in {@link Parsed#unread()}, so a huge list costs one split.
   */
  public static Parsed parseList(String list, int max) {
    var valid = new LinkedHashSet<String>();
    var invalid = new ArrayList<String>();
    int unread = 0;
    if (list == null) {
      return new Parsed(List.of(), invalid, 0);
    }
    for (String part : list.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      if (valid.size() >= max) {
        unread++;
        continue;
      }
      String h = normalize(part);
      if (h == null) {
        invalid.add(part.trim());
      } else {
        valid.add(h);
      }
    }
    return new Parsed(List.copyOf(valid), invalid, unread);
  }

  public static boolean isWildcard(String host) {
    return host.startsWith("*.");
  }

  /** Whether {@code host} is {@code domain} or below it (both without trailing dots). */
  public static boolean within(String host, String domain) {
    return host.equals(domain) || host.endsWith("." + domain);
  }
}
