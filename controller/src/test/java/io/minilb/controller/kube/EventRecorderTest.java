package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.controller.records.Finding;
import io.minilb.controller.view.ObjectKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<Finding> sent = new CopyOnWriteArrayList<>();
  private final EventRecorder recorder = new EventRecorder(sent::add, clock::get);

  @AfterEach
  void close() {
    recorder.close();
  }

  @Test
  void anIdenticalEvent_isSentOncePerHour() {
    Finding f = finding("web", "bad host");

    for (int i = 0; i < 100; i++) {
      recorder.record(f);
    }
    clock.addAndGet(EventRecorder.REPEAT_AFTER.toMillis());
    recorder.record(f);

    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
  }

  @Test
  void aHotLoopOfDistinctEvents_isCappedPerWindow() {
    for (int i = 0; i < 1_000; i++) {
      recorder.record(finding("svc-" + i, "bad host"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == EventRecorder.BURST);
    await("nothing more arrives")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> sent.size() == EventRecorder.BURST);

    clock.addAndGet(EventRecorder.WINDOW.toMillis());
    recorder.record(finding("late", "bad host"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == EventRecorder.BURST + 1);
  }

  @Test
  void rememberedEvents_expireAfterTheRepeatInterval() {
    for (int i = 0; i < 10; i++) {
      recorder.record(finding("svc-" + i, "bad host"));
    }
    clock.addAndGet(EventRecorder.REPEAT_AFTER.toMillis());
    recorder.record(finding("late", "bad host"));

    assertThat(recorder.lastSent).hasSize(1);
  }

  @Test
  void eventNames_stayWithinTheApiServersLimit_forTheLongestObjectNames() {
    String longest = "a".repeat(240) + "." + "b".repeat(12);

    String name = EventRecorder.eventName(longest);

    assertThat(name).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    assertThat(EventRecorder.eventName("web")).matches("web\\.[0-9a-f]{8}");
  }

  @Test
  void aLongMessage_reachesTheSinkCut() {
    recorder.record(finding("web", "x".repeat(100_000)));

    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    assertThat(sent.get(0).message()).hasSize(Finding.MAX_MESSAGE);
  }

  private static Finding finding(String name, String message) {
    return Finding.warning("Service", new ObjectKey("default", name), "InvalidHost", message);
  }
}
