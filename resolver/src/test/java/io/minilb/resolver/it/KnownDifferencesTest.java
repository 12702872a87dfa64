package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs/DNS.md table that {@link KnotOracleIT} reads, checked without a Knot to compare to. */
class KnownDifferencesTest {

  @Test
  void everyGlobInDnsMd_namesAtLeastOneCase() throws Exception {
    var names =
        OracleCases.all().stream()
            .flatMap(c -> List.of("udp/" + c.name(), "tcp/" + c.name()).stream())
            .toList();
    var rows = KnownDifferences.read().rows();
    assertThat(rows).isNotEmpty();
    for (var row : rows) {
      for (int i = 0; i < row.globs().size(); i++) {
        var pattern = row.cases().get(i);
        assertThat(names.stream().anyMatch(n -> pattern.matcher(n).matches()))
            .as("%s: `%s` names no case", row, row.globs().get(i))
            .isTrue();
      }
    }
  }

  @Test
  void aPinnedField_matchesOnlyItsValues() {
    var rows =
        KnownDifferences.parse(
                List.of(
                    KnownDifferences.BEGIN,
                    "| queries | differs in | status | why |",
                    "| `*/xfr/*` | rcode (FORMERR -> NOTAUTH), options (- -> nsid) | open bug | r |",
                    KnownDifferences.END))
            .rows();
    var row = rows.get(0);
    assertThat(row.match("udp/xfr/minilb./IXFR", "rcode", "FORMERR", "NOTAUTH")).isNotNull();
    assertThat(row.match("udp/xfr/minilb./IXFR", "rcode", "REFUSED", "NOTAUTH")).isNull();
    assertThat(row.match("udp/xfr/minilb./IXFR", "options", "", "nsid")).isNotNull();
    assertThat(row.match("udp/type/apex/A", "rcode", "FORMERR", "NOTAUTH")).isNull();
  }

  @Test
  void anUnknownStatusOrField_isRejected() {
    assertThatThrownBy(
            () ->
                KnownDifferences.parse(
                    List.of(
                        KnownDifferences.BEGIN,
                        "| `*` | rcode | maybe | r |",
                        KnownDifferences.END)))
        .hasMessageContaining("status");
    assertThatThrownBy(
            () ->
                KnownDifferences.parse(
                    List.of(
                        KnownDifferences.BEGIN,
                        "| `*` | colour | intended | r |",
                        KnownDifferences.END)))
        .hasMessageContaining("unknown field");
  }
}
