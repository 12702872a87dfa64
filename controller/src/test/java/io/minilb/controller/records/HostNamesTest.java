package io.minilb.controller.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNamesTest {

  @Test
  void normalize_acceptsANameOfTheMostLabels_withOrWithoutAWildcard() {
    assertThat(HostNames.normalize("a.".repeat(15) + "example"))
        .isEqualTo("a.".repeat(15) + "example");
    assertThat(HostNames.normalize("*." + "a.".repeat(14) + "example")).isNotNull();
  }

  @Test
  void normalize_refusesANameOfMoreLabels_sinceEachAncestorCostsEveryResolverAnEntry() {
    assertThat(HostNames.normalize("a.".repeat(16) + "example")).isNull();
    assertThat(HostNames.normalize("*." + "a.".repeat(15) + "example")).isNull();
    assertThat(HostNames.normalize("a.".repeat(126) + "a")).isNull();
  }

  @Test
  void parseList_reportsADeepNameAsInvalid_andKeepsTheOthers() {
    var parsed = HostNames.parseList("ok.home.example," + "a.".repeat(40) + "example");

    assertThat(parsed.valid()).containsExactly("ok.home.example");
    assertThat(parsed.invalid()).hasSize(1);
  }
}
