package io.minilb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionTest {

  @Test
  void line_namesTheBuildVersionAndCommit() {
    assertThat(Version.line())
        .matches("minilb \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{7}|unknown)\\)");
  }

  @Test
  void aCommitTheBuildCouldNotFillIn_isUnknown() {
    var p = new Properties();
    p.setProperty("commit", "${git.commit.id.abbrev}");

    assertThat(Version.filled(p, "commit")).isEqualTo("unknown");
    assertThat(Version.filled(p, "version")).isEqualTo("unknown");
  }
}
