package io.minilb.resolver.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table "Differences from Knot DNS" of docs/DNS.md, read by {@link KnotOracleIT} so the
 * documented list and the tested one are the same text. Each row names cases by glob ({@code *}
 * matches anything, cases are {@code transport/group/detail}), the fields that differ, a status and
 * the reason. A row whose status is {@link #PENDING} is a bug another change is fixing, {@link
 * #OPEN} one nobody is fixing yet: once fixed, the difference is gone and the row is stale, which
 * fails the test until it is deleted.
 */
record KnownDifferences(List<Row> rows) {

  static final Path DOC = Path.of("..", "docs", "DNS.md");
  static final String BEGIN = "<!-- knot-oracle:begin -->";
  static final String END = "<!-- knot-oracle:end -->";
  static final String INTENDED = "intended";
  static final String PENDING = "fixed by the protocol work";
  static final String OPEN = "open bug";

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern FIELD = Pattern.compile("([a-z]+)(?: \\((.+) -> (.+)\\))?");

  /**
   * A field that differs, optionally with the exact values: {@code rcode (FORMERR -> NOTAUTH)}
   * matches only when minilb says FORMERR and Knot NOTAUTH ({@code -} for an empty value), so a
   * change that moves minilb to a third answer is caught too.
   */
  record Field(String name, String minilb, String knot) {

    boolean matches(String field, String minilbValue, String knotValue) {
      return name.equals(field)
          && (minilb == null
              || (minilb.equals(shown(minilbValue)) && knot.equals(shown(knotValue))));
    }

    private static String shown(String value) {
      return value == null || value.isEmpty() ? "-" : value;
    }

    @Override
    public String toString() {
      return minilb == null ? name : name + " (" + minilb + " -> " + knot + ")";
    }
  }

  record Row(
      int line,
      List<Pattern> cases,
      List<String> globs,
      List<Field> fields,
      String status,
      String reason) {

    /** The field of this row that explains the difference, or null. */
    Field match(String caseName, String field, String minilb, String knot) {
      if (cases.stream().noneMatch(p -> p.matcher(caseName).matches())) {
        return null;
      }
      return fields.stream().filter(f -> f.matches(field, minilb, knot)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
      return "docs/DNS.md line " + line + " " + globs + " (" + status + ")";
    }
  }

  static KnownDifferences read() throws IOException {
    return parse(Files.readAllLines(DOC));
  }

  static KnownDifferences parse(List<String> doc) {
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("docs/DNS.md has no " + BEGIN + " ... " + END + " table");
    }
    var rows = new ArrayList<Row>();
    for (int i = begin + 1; i < end; i++) {
      String line = doc.get(i).strip();
      if (line.isEmpty() || line.startsWith("| queries") || line.startsWith("| ---")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      if (!line.startsWith("|") || !line.endsWith("|") || cells.length != 4) {
        throw new IllegalStateException("docs/DNS.md line " + (i + 1) + " is not a 4-cell row");
      }
      var globs = new ArrayList<String>();
      Matcher m = CODE.matcher(cells[0]);
      while (m.find()) {
        globs.add(m.group(1));
      }
      var fields = new ArrayList<Field>();
      for (String cell : cells[1].split(",")) {
        Matcher f = FIELD.matcher(cell.strip().replace("`", ""));
        if (!f.matches() || !Normalized.FIELDS.contains(f.group(1))) {
          throw new IllegalStateException(
              "docs/DNS.md line " + (i + 1) + ": unknown field '" + cell.strip() + "'");
        }
        fields.add(new Field(f.group(1), f.group(2), f.group(3)));
      }
      String status = cells[2].strip();
      if (!List.of(INTENDED, PENDING, OPEN).contains(status)) {
        throw new IllegalStateException(
            "docs/DNS.md line "
                + (i + 1)
                + ": status must be one of "
                + List.of(INTENDED, PENDING, OPEN)
                + ", not '"
                + status
                + "'");
      }
      if (globs.isEmpty() || cells[3].isBlank()) {
        throw new IllegalStateException("docs/DNS.md line " + (i + 1) + ": no cases or no reason");
      }
      rows.add(
          new Row(
              i + 1,
              globs.stream().map(KnownDifferences::glob).toList(),
              globs,
              List.copyOf(fields),
              status,
              cells[3].strip()));
    }
    return new KnownDifferences(List.copyOf(rows));
  }

  private static Pattern glob(String glob) {
    var re = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      re.append(Pattern.quote(part)).append(".*");
    }
    return Pattern.compile(re.substring(0, re.length() - 2));
  }
}
