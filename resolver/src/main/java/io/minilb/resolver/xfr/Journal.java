package io.minilb.resolver.xfr;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The recent changes of one zone, oldest first, for IXFR (RFC 1995): each {@link Step} turns the
 * zone at one serial into the zone at the next, and each step starts where the one before ended.
 * Bounded by a number of steps and of records; the oldest steps go first, and a client whose serial
 * is no longer here gets the whole zone instead. Immutable.
 */
record Journal(List<Journal.Step> steps, int records) {

  /** Nothing recorded: every IXFR that is not already current gets the whole zone. */
  static final Journal EMPTY = new Journal(List.of(), 0);

  /**
   * One change of the zone: from the zone at {@code from}'s serial to the zone at {@code to}'s,
   * delete {@code deleted} and add {@code added} (neither holds the SOA). Immutable.
   */
  record Step(SOARecord from, SOARecord to, List<Record> deleted, List<Record> added) {
    Step {
      deleted = List.copyOf(deleted);
      added = List.copyOf(added);
    }

    int size() {
      return deleted.size() + added.size();
    }
  }

  Journal {
    steps = List.copyOf(steps);
  }

  /**
   * This journal with {@code step} at its end, then trimmed from the oldest end to at most {@code
   * maxSteps} steps and {@code maxRecords} records. A step that does not start where the last one
   * ended begins a new journal.
   */
  Journal append(Step step, int maxSteps, int maxRecords) {
    var list = new ArrayList<Step>();
    if (!steps.isEmpty()
        && steps.get(steps.size() - 1).to().getSerial() == step.from().getSerial()) {
      list.addAll(steps);
    }
    list.add(step);
    int total = list.stream().mapToInt(Step::size).sum();
    while (!list.isEmpty() && (list.size() > maxSteps || total > maxRecords)) {
      total -= list.remove(0).size();
    }
    return new Journal(list, total);
  }

  /** The steps from {@code serial} to the newest, or null when no step starts at {@code serial}. */
  List<Step> since(long serial) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).from().getSerial() == serial) {
        return steps.subList(i, steps.size());
      }
    }
    return null;
  }
}
