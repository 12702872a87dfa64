package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

  @Test
  void trimsOnce_afterTheFirstPublish_notAfterEveryOne() {
    List<Runnable> queued = new ArrayList<>();
    var trims = new AtomicInteger();
    var trim = new HeapTrim(queued::add, trims::incrementAndGet);

    trim.run();
    trim.run();
    trim.run();
    queued.forEach(Runnable::run);

    assertThat(trims).hasValue(1);
  }
}
