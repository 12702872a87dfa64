package io.minilb.resolver.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table "Differences from Knot DNS" of docs/DNS.md, read by {@link KnotOracleIT} so the
 * documented list and the tested one are the same text. Each row names cases by glob ({@code *}
 * matches anything, cases are {@code transport/group/detail}), the fields that differ, a status and
 * the reason. A row whose status is {@link #PENDING} is a bug another change is fixing: once fixed,
 * the difference is gone and the row is stale, which fails the test until it is deleted.
 */
record KnownDifferences(List<Row> rows) {

  static final Path DOC = Path.of("..", "docs", "DNS.md");
  static final String BEGIN = "<!-- knot-oracle:begin -->";
  static final String END = "<!-- knot-oracle:end -->";
  static final String INTENDED = "intended";
  static final String PENDING = "fixed by the protocol work";

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  record Row(
      int line,
      List<Pattern> cases,
      List<String> globs,
      List<String> fields,
      String status,
      String reason) {

    boolean matches(String caseName, String field) {
      return fields.contains(field) && cases.stream().anyMatch(p -> p.matcher(caseName).matches());
    }

    @Override
    public String toString() {
      return "docs/DNS.md line " + line + " " + globs + " " + fields + " (" + status + ")";
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
      var fields = Arrays.stream(cells[1].split(",")).map(s -> s.strip().replace("`", "")).toList();
      for (String f : fields) {
        if (!Normalized.FIELDS.contains(f)) {
          throw new IllegalStateException(
              "docs/DNS.md line " + (i + 1) + ": unknown field '" + f + "'");
        }
      }
      String status = cells[2].strip();
      if (!status.equals(INTENDED) && !status.equals(PENDING)) {
        throw new IllegalStateException(
            "docs/DNS.md line "
                + (i + 1)
                + ": status must be '"
                + INTENDED
                + "' or '"
                + PENDING
                + "', not '"
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
              fields,
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
