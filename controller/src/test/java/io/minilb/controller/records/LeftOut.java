package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.lb;
import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.snapshot.RRSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * Services {@code t/old}, {@code t/<middle>} (with {@code annotations}) and {@code t/young},
   * created in that order, each with one ready pod; without {@code t/<middle>} when {@code
   * withMiddle} is false.
   */
  static ClusterState oldMiddleYoung(
      String middle, Map<String, String> annotations, boolean withMiddle) {
    Instant old = Instant.parse("2025-01-01T00:00:00Z");
    var services = new ArrayList<ServiceView>();
    var slices = new ArrayList<SliceView>();
    services.add(lb("t", "old", old, Map.of()));
    slices.add(slice("t", "old-1", "old", "IPv4", ready("10.0.0.1")));
    if (withMiddle) {
      services.add(lb("t", middle, old.plusSeconds(1), annotations));
      slices.add(slice("t", middle + "-1", middle, "IPv4", ready("10.0.0.2")));
    }
    services.add(lb("t", "young", old.plusSeconds(2), Map.of()));
    slices.add(slice("t", "young-1", "young", "IPv4", ready("10.0.0.3")));
    return Fixtures.state(services, slices);
  }

  /**
   * Asserts that {@code build} of {@link #oldMiddleYoung} left out {@code t/<middle>} alone, for
   * {@code reason}, and served the older and the younger Service.
   */
  static void onlyMiddle(RecordBuilder.Build build, String middle, String reason) {
    assertThat(build.dropped())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo(new ObjectKey("t", middle));
              assertThat(f.reason()).isEqualTo(reason);
            });
    assertThat(owns(build.records(), "young.t.minilb.")).isTrue();
    assertThat(owns(build.records(), "old.t.minilb.")).isTrue();
    assertThat(owns(build.records(), middle + ".t.minilb.")).isFalse();
  }

  /** Whether some RRset's owner ends with {@code suffix}. */
  static boolean owns(List<RRSet> sets, String suffix) {
    return sets.stream().anyMatch(s -> s.name().endsWith(suffix));
  }
}
