package io.minilb.resolver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.snapshot.Version;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class DeltaWarmUpTest {

  @Test
  void run_appliesItsDeltaThroughTheWirePath_toItsOwnScratchIndex() {
    var index = DeltaWarmUp.run();

    assertThat(index.version()).isEqualTo(new Version(1, 2));
    assertThat(index.find(Name.fromConstantString("a.warm-up.invalid."), Type.A).size())
        .isEqualTo(1);
    assertThat(index.snapshot().rrsets().values())
        .anySatisfy(r -> assertThat(r.rdata().get(0).toByteArray()).containsExactly(10, 0, 0, 2));
  }
}
