package io.minilb.controller.records;

import io.minilb.controller.view.ObjectKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one build has to tell: findings for Events, and the objects dropped from it because their
 * records could not be built. Not thread-safe; one per build.
 */
final class Report {

  /** The Event reason of an object dropped from the build. */
  static final String DROPPED = "RecordsInvalid";

  private static final int MAX_MESSAGE = 500;

  final List<Finding> findings = new ArrayList<>();
  final List<Finding> dropped = new ArrayList<>();

  void finding(Finding f) {
    findings.add(f);
  }

  /** The Event reason of an object left out because the snapshot is full. */
  static final String RECORD_LIMIT = "RecordLimitReached";

  /** The Event reason of an object left out because the resolvers' names are full. */
  static final String NAME_LIMIT = "NameLimitReached";

  /** The Event reason of an object left out because the snapshot's bytes are full. */
  static final String SIZE_LIMIT = "SnapshotSizeLimitReached";

  /**
   * {@code kind key} is left out because the snapshot reached a limit: {@code --max-records}
   * ({@link #RECORD_LIMIT}), {@code --max-names} ({@link #NAME_LIMIT}) or {@code
   * --max-snapshot-bytes} ({@link #SIZE_LIMIT}).
   */
  void full(String kind, ObjectKey key, String reason, String message) {
    Finding f = Finding.warning(kind, key, reason, message);
    findings.add(f);
    dropped.add(f);
  }

  /** {@code kind key} contributes nothing to this build; everything else still publishes. */
  void drop(String kind, ObjectKey key, RuntimeException cause) {
    String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (why.length() > MAX_MESSAGE) {
      why = Finding.cut(why, MAX_MESSAGE) + "…";
    }
    Finding f = Finding.warning(kind, key, DROPPED, "no DNS records published for it: " + why);
    findings.add(f);
    dropped.add(f);
  }
}
