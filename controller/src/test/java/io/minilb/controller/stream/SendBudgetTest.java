package io.minilb.controller.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendBudgetTest {

  private final SendBudget budget = new SendBudget(10);
  private final List<String> called = new ArrayList<>();

  @Test
  void reservations_fitTheLimit_andTheRestWaitInLine() {
    Runnable a = () -> called.add("a");
    Runnable b = () -> called.add("b");

    assertThat(budget.tryReserve(6, () -> {})).isTrue();
    assertThat(budget.tryReserve(6, a)).isFalse();
    assertThat(budget.tryReserve(1, b)).as("b is behind a in line").isFalse();
    budget.release(6);

    assertThat(called).containsExactly("a", "b");
    assertThat(budget.tryReserve(6, a)).isTrue();
    assertThat(budget.tryReserve(1, b)).isTrue();
    assertThat(budget.reserved()).isEqualTo(7);
    assertThat(budget.waiting()).isZero();
  }

  @Test
  void aLongLineOfStreamsWhoseSendsFail_isCalledBackWithoutNesting() {
    // After a failover every resolver waits for one snapshot; with no direct memory to send it,
    // each stream in turn reserves, fails, gives its bytes back and leaves the line. Those
    // releases used to call the next stream back from inside the last: 20,000 deep.
    var one = new SendBudget(1);
    int streams = 20_000;
    var ended = new ArrayList<Runnable>();
    var line = new ArrayList<Runnable>();
    for (int i = 0; i < streams; i++) {
      Runnable[] self = new Runnable[1];
      self[0] =
          () -> {
            if (one.tryReserve(1, self[0])) {
              ended.add(self[0]);
              one.release(1);
              one.forget(self[0]);
            }
          };
      line.add(self[0]);
    }
    assertThat(one.tryReserve(1, () -> {})).isTrue();
    line.forEach(r -> assertThat(one.tryReserve(1, r)).isFalse());

    one.release(1);

    assertThat(ended).hasSize(streams);
    assertThat(one.reserved()).isZero();
    assertThat(one.waiting()).isZero();
  }

  @Test
  void aMessageLargerThanTheBudget_goesAlone() {
    assertThat(budget.tryReserve(50, () -> {})).isTrue();
    assertThat(budget.tryReserve(1, () -> {})).isFalse();
    budget.release(50);
    assertThat(budget.reserved()).isZero();
  }

  @Test
  void aStreamThatEnds_leavesTheLine_andTheNextIsCalled() {
    Runnable a = () -> called.add("a");
    Runnable b = () -> called.add("b");
    budget.tryReserve(10, () -> {});
    budget.tryReserve(5, a);
    budget.tryReserve(5, b);

    budget.forget(a);

    assertThat(called).containsExactly("b");
    assertThat(budget.waiting()).isEqualTo(1);
  }
}
