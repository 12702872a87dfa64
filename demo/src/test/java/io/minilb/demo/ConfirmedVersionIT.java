package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A resolver that subscribes holding the controller's newest version (restarted from its snapshot
 * file in a quiet cluster, or reconnected after a blip) hears that its data is current. The
 * controller used to send it nothing until the next change, so the data kept ageing from the file's
 * time or the drop, and with {@code --max-stale} a resolver in step with its controller answered
 * SERVFAIL for as long as nothing changed.
 */
class ConfirmedVersionIT {

  @TempDir Path dir;

  @Test
  void aResolverRestartedWithTheNewestVersion_isCurrent_andAnswersPastMaxStale() throws Exception {
    try (var p = new Pipeline()) {
      p.client.resource(EndToEndIT.service("default", "web", "minilb")).create();
      p.client.resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.1")).create();
      p.startController();
      await().atMost(Duration.ofSeconds(15)).until(p.controller::leading);
      Path file = dir.resolve("snapshot.pb");
      p.startResolver(b -> b.snapshotFile(file));
      await().atMost(Duration.ofSeconds(15)).until(() -> answers(p));
      p.resolver.close(); // the file is current as of now
      Thread.sleep(2_500); // and older than --max-stale when the resolver comes back

      p.startResolver(b -> b.snapshotFile(file).maxStale(Duration.ofSeconds(2)));

      await("answers once the controller confirms the version it loaded")
          .atMost(Duration.ofSeconds(10))
          .until(() -> answers(p));
      Thread.sleep(2_500); // longer than --max-stale, with no change in the cluster
      assertThat(answers(p)).as("still current").isTrue();
    }
  }

  private static boolean answers(Pipeline p) throws Exception {
    Message m = p.query("web.default.minilb.", Type.A);
    return m.getRcode() == Rcode.NOERROR && m.getSection(Section.ANSWER).size() == 1;
  }
}
