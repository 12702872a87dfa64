package io.minilb.controller.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ObjectKey;
import io.minilb.snapshot.RRSet;
import java.util.List;
import java.util.function.IntFunction;

/** Checks on which objects an admission limit left out of a build. */
final class LeftOut {

  private LeftOut() {}

  /**
   * Asserts that {@code build} left out the youngest of the Services {@code tenant/s0} to {@code
   * s<n-1>} (created in that order) and no other object, each with {@code reason} and a message
   * holding {@code says}, and that every name {@code names} gives for a Service is published
   * exactly when that Service was kept.
   */
  @SafeVarargs
  static void youngest(
      RecordBuilder.Build build, int n, String reason, String says, IntFunction<String>... names) {
    assertThat(build.dropped())
        .isNotEmpty()
        .allSatisfy(
            f -> {
              assertThat(f.reason()).isEqualTo(reason);
              assertThat(f.message()).contains(says);
            });
    var left = build.dropped().stream().map(Finding::object).toList();
    int first = n - left.size();
    for (int s = 0; s < n; s++) {
      assertThat(left.contains(new ObjectKey("tenant", "s" + s)))
          .as("s" + s + " left out")
          .isEqualTo(s >= first);
      for (IntFunction<String> name : names) {
        assertThat(owns(build.records(), name.apply(s)))
            .as("s%d's %s published", s, name.apply(s))
            .isEqualTo(s < first);
      }
    }
  }

  /** Whether some RRset's owner ends with {@code suffix}. */
  static boolean owns(List<RRSet> sets, String suffix) {
    return sets.stream().anyMatch(s -> s.name().endsWith(suffix));
  }
}
