package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minilb.controller.records.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link Finding}s into core/v1 Events on the objects concerned, rate-limited so that a hot
 * reconcile loop cannot flood the API server: an identical event (same object, reason and message)
 * is sent at most once per {@link #REPEAT_AFTER}, and at most {@link #BURST} events go out per
 * {@link #WINDOW}; the excess is dropped with one log line. What was sent is remembered for {@link
 * #REPEAT_AFTER} only, so the memory is bounded by the send rate, not by the history of the
 * cluster. Messages are bounded by {@link Finding#MAX_MESSAGE}. Sends run on their own thread.
 */
public final class EventRecorder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  static final Duration REPEAT_AFTER = Duration.ofHours(1);
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final int BURST = 25;
  private static final int MAX_NAME = 253;

  /** Where events go; the API server in production, a list in tests. */
  @FunctionalInterface
  public interface Sink {
    void send(Finding finding);
  }

  private final Sink sink;
  private final LongSupplier clockMillis;
  final Map<Finding, Long> lastSent = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private long windowStart;
  private int sentInWindow;
  private long dropped;

  public EventRecorder(Sink sink, LongSupplier clockMillis) {
    this.sink = sink;
    this.clockMillis = clockMillis;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "events");
              t.setDaemon(true);
              return t;
            });
  }

  /** A recorder that creates Events through {@code client}, as component {@code minilb}. */
  public static EventRecorder forCluster(
      KubernetesClient client, String identity, LongSupplier clockMillis) {
    return new EventRecorder(f -> create(client, identity, f), clockMillis);
  }

  /** Queues {@code f} unless it was sent recently or the window is full. */
  public synchronized void record(Finding f) {
    long now = clockMillis.getAsLong();
    Long last = lastSent.get(f);
    if (last != null && now - last < REPEAT_AFTER.toMillis()) {
      return;
    }
    if (now - windowStart >= WINDOW.toMillis()) {
      if (dropped > 0) {
        log.warn("dropped {} events over the rate limit", dropped);
      }
      windowStart = now;
      sentInWindow = 0;
      lastSent.values().removeIf(sent -> now - sent >= REPEAT_AFTER.toMillis());
      dropped = 0;
    }
    if (sentInWindow >= BURST) {
      dropped++;
      return;
    }
    sentInWindow++;
    lastSent.put(f, now);
    if (f.type() == Finding.Type.Warning) {
      log.warn("{} {}: {}: {}", f.kind(), f.object(), f.reason(), f.message());
    }
    executor.execute(
        () -> {
          try {
            sink.send(f);
          } catch (RuntimeException e) {
            log.warn(
                "could not record event {} on {} {}: {}",
                f.reason(),
                f.kind(),
                f.object(),
                e.getMessage());
          }
        });
  }

  private static void create(KubernetesClient client, String identity, Finding f) {
    String now = Instant.now().toString();
    String ns = f.object().namespace().isEmpty() ? "default" : f.object().namespace();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(eventName(f.object().name()))
            .endMetadata()
            .withNewInvolvedObject()
            .withKind(f.kind())
            .withNamespace(f.object().namespace().isEmpty() ? null : f.object().namespace())
            .withName(f.object().name())
            .withApiVersion(apiVersion(f.kind()))
            .endInvolvedObject()
            .withType(f.type().name())
            .withReason(f.reason())
            .withMessage(f.message())
            .withNewSource()
            .withComponent("minilb")
            .withHost(identity)
            .endSource()
            .withReportingComponent("minilb")
            .withReportingInstance(identity)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    client.v1().events().inNamespace(ns).resource(event).create();
  }

  /**
   * A unique Event name after the object's: object names may be 253 characters long, and so may the
   * Event's, so the object's part is cut to leave room for the suffix.
   */
  static String eventName(String objectName) {
    String base = objectName.replace('/', '.');
    if (base.length() > MAX_NAME - 9) {
      // a cut name must still end in a letter or digit
      base = base.substring(0, MAX_NAME - 9).replaceAll("[.-]+$", "");
    }
    return base + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String apiVersion(String kind) {
    return switch (kind) {
      case "Service", "Node" -> "v1";
      case "Ingress" -> "networking.k8s.io/v1";
      default -> "gateway.networking.k8s.io/v1";
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
