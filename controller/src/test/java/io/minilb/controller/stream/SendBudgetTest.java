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
