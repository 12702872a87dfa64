package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.minilb.controller.stream.StreamLimits;
import io.minilb.proto.v1.Ack;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.Subscribe;
import io.minilb.proto.v1.Version;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile record-stream clients against a controller started from its config with the mock API
 * server: re-subscribe floods, too many streams, bad fields. Each gets a gRPC status; the
 * controller stays healthy and a well-behaved resolver started alongside syncs.
 */
class StreamAbuseIT {

  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    channels.forEach(ManagedChannel::shutdownNow);
  }

  @Test
  void manySubscribesOnOneStream_getAtMostOneMessage_andAResolverStillSyncsPromptly()
      throws Exception {
    try (var p = new Pipeline()) {
      for (int i = 0; i < 10; i++) {
        p.client.resource(EndToEndIT.service("default", "svc" + i, "minilb")).create();
        p.client
            .resource(EndToEndIT.slice("default", "svc" + i + "-x", "svc" + i, "10.0.0." + i))
            .create();
      }
      p.startController();
      await().atMost(Duration.ofSeconds(15)).until(() -> p.controller.snapshotSequence() > 0);

      // 8 connections x 2 streams (the per-connection cap) x 200 Subscribes, never acking.
      var streams = new ArrayList<Recorder>();
      for (int c = 0; c < 8; c++) {
        ManagedChannel channel = channel(p);
        for (int s = 0; s < StreamLimits.DEFAULT_MAX_STREAMS_PER_CONNECTION; s++) {
          var r = new Recorder();
          var requests = RecordStreamGrpc.newStub(channel).watch(r);
          for (int i = 0; i < 200; i++) {
            requests.onNext(subscribe("attacker-" + c + "-" + s, null));
          }
          streams.add(r);
        }
      }
      p.startResolver();

      await("a well-behaved resolver syncs")
          .atMost(Duration.ofSeconds(10))
          .until(p::resolverSynced);
      for (Recorder r : streams) {
        assertThat(r.end.get(10, TimeUnit.SECONDS))
            .as("a second Subscribe ends the stream")
            .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(r.messages.get()).as("messages on one stream of 200 Subscribes").isEqualTo(1);
      }
      assertThat(p.controller.ready()).isTrue();
      assertThat(p.controller.leading()).isTrue();
    }
  }

  @Test
  void streamsOverTheCaps_areRefusedWithResourceExhausted_andFreedSeatsAreReused()
      throws Exception {
    try (var p = new Pipeline()) {
      p.streamLimits = StreamLimits.of(3, 2);
      p.startController();
      await().atMost(Duration.ofSeconds(15)).until(() -> p.controller.snapshotSequence() > 0);
      ManagedChannel a = channel(p);
      ManagedChannel b = channel(p);

      var a1 = open(a);
      var a2 = open(a);
      assertThat(open(a).end.get(10, TimeUnit.SECONDS))
          .as("a third stream on one connection")
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      var b1 = open(b);
      assertThat(open(b).end.get(10, TimeUnit.SECONDS))
          .as("a fourth stream in all")
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      for (Recorder r : List.of(a1, a2, b1)) {
        assertThat(r.messages.get()).isEqualTo(1);
        assertThat(r.end).isNotDone();
      }

      a1.requests.onCompleted();
      a1.end.get(10, TimeUnit.SECONDS);
      p.startResolver();
      await("a resolver takes the freed seat")
          .atMost(Duration.ofSeconds(10))
          .until(p::resolverSynced);
    }
  }

  @Test
  void badNodeNamesAndSequences_areInvalidArgument_andForgeNoLogLine() throws Exception {
    var appender = new ListAppender<ILoggingEvent>();
    var root =
        ((LoggerContext) LoggerFactory.getILoggerFactory())
            .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender.start();
    root.addAppender(appender);
    try (var p = new Pipeline()) {
      p.startController();
      await().atMost(Duration.ofSeconds(15)).until(() -> p.controller.snapshotSequence() > 0);
      ManagedChannel channel = channel(p);
      String forged = "node-1\n2026-01-01T00:00:00.000Z INFO  Controller - forged line";
      Version maxUint64 = Version.newBuilder().setEpoch(1).setSequence(-1L).build();

      var bad =
          List.of(
              subscribe("x".repeat(60_000), null),
              subscribe(forged, null),
              subscribe("node-1", maxUint64),
              WatchRequest.newBuilder().setAck(Ack.newBuilder().setVersion(maxUint64)).build());
      for (WatchRequest request : bad) {
        var r = new Recorder();
        RecordStreamGrpc.newStub(channel).watch(r).onNext(request);
        assertThat(r.end.get(10, TimeUnit.SECONDS))
            .as("%.60s", request)
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
      }

      p.startResolver();
      await().atMost(Duration.ofSeconds(10)).until(p::resolverSynced);
    } finally {
      root.detachAppender(appender);
    }
    List<String> lines =
        appender.list.stream()
            .filter(e -> e.getLoggerName().startsWith("io.minilb"))
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(lines).anyMatch(l -> l.contains("forged line"));
    assertThat(lines).allMatch(l -> l.indexOf('\n') < 0 && l.indexOf('\r') < 0);
    assertThat(lines).allMatch(l -> l.length() < 1_000, "no line carries the 60 KB name");
  }

  private ManagedChannel channel(Pipeline p) {
    // A hostile client, not a resolver: a bare plaintext channel.
    var c = ManagedChannelBuilder.forTarget("127.0.0.1:" + p.grpcPort).usePlaintext().build();
    channels.add(c);
    return c;
  }

  /** Opens a stream and waits until it is served (first message) or refused. */
  private static Recorder open(ManagedChannel channel) {
    var r = new Recorder();
    r.requests = RecordStreamGrpc.newStub(channel).watch(r);
    r.requests.onNext(subscribe("node-" + System.nanoTime(), null));
    await().atMost(Duration.ofSeconds(10)).until(() -> r.messages.get() > 0 || r.end.isDone());
    return r;
  }

  private static WatchRequest subscribe(String node, Version have) {
    var s = Subscribe.newBuilder().setNode(node);
    if (have != null) {
      s.setHave(have);
    }
    return WatchRequest.newBuilder().setSubscribe(s).build();
  }

  /** Counts messages and records how the stream ended. */
  private static final class Recorder implements StreamObserver<WatchResponse> {
    final AtomicInteger messages = new AtomicInteger();
    final CompletableFuture<Status.Code> end = new CompletableFuture<>();
    StreamObserver<WatchRequest> requests;

    @Override
    public void onNext(WatchResponse value) {
      messages.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
      end.complete(Status.Code.OK);
    }
  }
}
