package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Frame and idle deadlines on a channel whose clock the test moves. */
class TcpDeadlinesTest {

  private static final Duration IDLE = Duration.ofSeconds(10);
  private static final Duration FRAME = Duration.ofSeconds(1);

  private final MockTicker ticker = Ticker.newMockTicker();
  private final TcpMetrics metrics = new TcpMetrics(new PrometheusRegistry());
  private final TcpDeadlines deadlines = new TcpDeadlines(IDLE, FRAME, metrics);
  private final EmbeddedChannel channel =
      EmbeddedChannel.builder().ticker(ticker).handlers(deadlines).build();

  @Test
  void aFrameTrickledPastItsDeadline_closesTheConnection_althoughBytesKeepArriving() {
    byte[] frame = frame(40);
    int sent = 0;
    while (channel.isOpen() && sent < frame.length) {
      channel.writeInbound(Unpooled.wrappedBuffer(frame, sent++, 1));
      advance(100);
    }
    assertThat(channel.isOpen()).isFalse();
    assertThat(sent).as("closed 1 s after the first byte, mid-frame").isEqualTo(10);
    assertThat(metrics.closed("frame_deadline")).isEqualTo(1);
    assertThat(metrics.closed("idle")).isZero();
  }

  @Test
  void aFrameStartedLateInAQuietSpell_closesExactlyAtItsOwnDeadline() {
    advance(9_500);
    byte[] frame = frame(40);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 1));
    advance(900);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 1, 1));
    assertThat(channel.isOpen()).as("0.9 s into the frame; the idle deadline has passed").isTrue();
    advance(200);
    assertThat(channel.isOpen()).isFalse();
    assertThat(metrics.closed("frame_deadline")).isEqualTo(1);
  }

  @Test
  void aFrameSplitAcrossReads_withinItsDeadline_isPassedOnWhole_andTheConnectionStays() {
    byte[] frame = frame(40);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 1));
    advance(400);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 1, 20));
    advance(400);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 21, frame.length - 21));
    advance(FRAME.toMillis() * 3);
    assertThat(channel.isOpen()).isTrue();
    assertThat(readAll()).isEqualTo(frame.length);
  }

  @Test
  void framesThatEachArriveInTime_keepTheConnection_farBeyondOneFrameDeadline() {
    for (int i = 0; i < 50; i++) {
      byte[] frame = frame(30);
      channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 10));
      advance(600);
      channel.writeInbound(Unpooled.wrappedBuffer(frame, 10, frame.length - 10));
      advance(600);
    }
    assertThat(channel.isOpen()).isTrue();
    assertThat(metrics.closed("frame_deadline")).isZero();
  }

  @Test
  void severalFramesInOneRead_areCountedAsComplete() {
    var buf = Unpooled.buffer();
    buf.writeBytes(frame(20)).writeBytes(frame(0)).writeBytes(frame(300));
    channel.writeInbound(buf);
    advance(FRAME.toMillis() * 5);
    assertThat(channel.isOpen()).as("between frames: only the idle timeout applies").isTrue();
  }

  @Test
  void aLengthPrefixSplitAcrossReads_isFollowed() {
    byte[] frame = frame(258); // length bytes 0x01 0x02
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 1));
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 1, 1));
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 2, 257));
    advance(FRAME.toMillis() * 2);
    assertThat(channel.isOpen()).as("one byte short of the frame").isFalse();
  }

  @Test
  void aSilentConnection_closesAfterTheIdleTimeout_notBefore() {
    advance(IDLE.toMillis() - 100);
    assertThat(channel.isOpen()).isTrue();
    advance(200);
    assertThat(channel.isOpen()).isFalse();
    assertThat(metrics.closed("idle")).isEqualTo(1);
  }

  @Test
  void aResponseSent_restartsTheIdleTimeout() {
    advance(IDLE.toMillis() - 100);
    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));
    advance(IDLE.toMillis() - 100);
    assertThat(channel.isOpen()).isTrue();
    advance(200);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void stalledSince_isTheFirstByteOfTheFrameStillAwaited() {
    long start = deadlines.stalledSince();
    advance(300);
    byte[] frame = frame(40);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 5));
    long frameStart = deadlines.stalledSince();
    assertThat(frameStart - start).isEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    advance(300);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 5, 5));
    assertThat(deadlines.stalledSince()).as("trickled bytes are no progress").isEqualTo(frameStart);
    advance(300);
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 10, frame.length - 10));
    assertThat(deadlines.stalledSince() - frameStart).isEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
  }

  private void advance(long millis) {
    ticker.advanceMillis(millis);
    channel.runPendingTasks();
    channel.runScheduledPendingTasks();
  }

  private int readAll() {
    int n = 0;
    for (Object m; (m = channel.readInbound()) != null; ) {
      n += ((ByteBuf) m).readableBytes();
      ((ByteBuf) m).release();
    }
    return n;
  }

  private static byte[] frame(int length) {
    byte[] b = new byte[2 + length];
    b[0] = (byte) (length >> 8);
    b[1] = (byte) length;
    return b;
  }
}
