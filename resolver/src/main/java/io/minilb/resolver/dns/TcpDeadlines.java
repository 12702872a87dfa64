package io.minilb.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a DNS-over-TCP connection holds its slot without progress. Between frames it is
 * closed after the idle timeout with no new frame and no response sent (RFC 7766 section 6.2.3:
 * seconds). Once the first byte of a frame (2-byte length and message) arrives, the whole frame
 * must arrive within the frame timeout counted from that byte: bytes trickled into a frame never
 * extend it, so a slowloris client holds a slot for at most idle plus frame timeout before the
 * close.
 *
 * <p>Sits before the frame decoder and only watches the bytes go by. One instance per connection,
 * confined to its event loop, except {@link #stalledSince()}, which the {@link TcpConnectionGuard}
 * reads from other loops to choose whom to evict. Times come from the event loop's ticker.
 */
final class TcpDeadlines extends ChannelDuplexHandler {

  private final long idleNanos;
  private final long frameNanos;
  private final TcpMetrics metrics;

  private ChannelHandlerContext ctx;
  private boolean inFrame;
  private int prefixSeen; // bytes of the 2-byte length seen in the current frame
  private int remaining; // message bytes still to come in the current frame
  private long frameStart;
  private long idleSince;
  private long timerAt;
  private ScheduledFuture<?> timer;
  private final Runnable check = this::check;
  private volatile long stalledSince;

  TcpDeadlines(Duration idle, Duration frame, TcpMetrics metrics) {
    this.idleNanos = idle.toNanos();
    this.frameNanos = frame.toNanos();
    this.metrics = metrics;
  }

  /**
   * When this connection last made progress: the first byte of the frame it is still waiting for,
   * or else when it was accepted, completed a frame or was sent a response, whichever is latest.
   */
  long stalledSince() {
    return stalledSince;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    idleSince = now();
    stalledSince = idleSince;
    if (ctx.channel().isActive()) {
      armBetweenFrames(idleSince);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (timer == null) {
      armBetweenFrames(idleSince);
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      watch(buf);
    }
    ctx.fireChannelRead(msg);
  }

  /** Follows the frame boundaries in {@code buf} without consuming it. */
  private void watch(ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    long now = now();
    while (i < end) {
      if (!inFrame) {
        inFrame = true;
        frameStart = now;
        stalledSince = now;
        prefixSeen = 0;
        remaining = 0;
        if (timer == null || timerAt - (now + frameNanos) > 0) {
          arm(now + frameNanos);
        }
      }
      if (prefixSeen < 2) {
        remaining = (remaining << 8) | buf.getUnsignedByte(i++);
        prefixSeen++;
      } else {
        int take = Math.min(remaining, end - i);
        i += take;
        remaining -= take;
      }
      if (prefixSeen == 2 && remaining == 0) {
        inFrame = false;
        idleSince = now;
        stalledSince = now;
      }
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    idleSince = now();
    if (!inFrame) {
      stalledSince = idleSince;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  /**
   * Checks when the timer fires rather than re-arming it on every frame: progress only moves the
   * deadline later, and between frames the timer fires at least once per frame timeout, so a frame
   * starting finds it armed early enough. Frames cost field writes, no scheduling.
   */
  private void check() {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = now();
    long due = inFrame ? frameStart + frameNanos : idleSince + idleNanos;
    if (now - due >= 0) {
      if (inFrame) {
        metrics.frameDeadline();
      } else {
        metrics.idle();
      }
      ctx.close();
    } else if (inFrame) {
      arm(due);
    } else {
      armBetweenFrames(now);
    }
  }

  private void armBetweenFrames(long now) {
    arm(Math.min(idleSince + idleNanos, now + frameNanos));
  }

  private void arm(long at) {
    cancel();
    timerAt = at;
    timer = ctx.executor().schedule(check, Math.max(0, at - now()), TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }
}
