package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

  @Test
  void collectsOnce_afterTheFirstPublish_notAfterEveryOne() {
    List<Runnable> queued = new ArrayList<>();
    var trim = new HeapTrim(queued::add);

    trim.run();
    trim.run();
    trim.run();

    assertThat(queued).hasSize(1);
  }
}
