package io.minilb.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.snapshot.Delta;
import io.minilb.snapshot.Generated;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void snapshotsAndDeltas_surviveTheWire_overManyGeneratedPairs() {
    var random = new Random(42);
    for (int i = 0; i < 1_000; i++) {
      Snapshot older = Generated.snapshot(random, new Version(random.nextLong(), i));
      Snapshot newer = Generated.mutate(random, older, older.version().next());
      Delta delta = newer.diff(older);

      Snapshot decoded = Messages.fromProto(Messages.toProto(older));
      Delta decodedDelta = Messages.fromProto(Messages.toProto(delta));

      assertThat(decoded).isEqualTo(older);
      assertThat(decodedDelta).isEqualTo(delta);
      assertThat(decoded.apply(decodedDelta)).isEqualTo(newer);
    }
  }

  @Test
  void aMessageTheModelRejects_failsToDecode() {
    var relative =
        io.minilb.proto.v1.RRSet.newBuilder().setName("web.default.minilb").setType(1).build();

    assertThatThrownBy(() -> Messages.fromProto(relative))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
