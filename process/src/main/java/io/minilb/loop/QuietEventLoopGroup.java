package io.minilb.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Netty event loops that sleep until there is I/O, a task or a scheduled task that is due: an idle
 * process uses no CPU on them. A drop-in {@link MultiThreadIoEventLoopGroup} for any {@link
 * IoHandlerFactory} (epoll or NIO).
 *
 * <p>Why: in Netty 4.2 an I/O loop asks its executor for the next deadline, and with nothing
 * scheduled {@code SingleThreadEventExecutor} answers "now + 1 s" (its schedule-purge interval, a
 * constant no property changes) instead of "none". The epoll handler then arms its timer for a
 * second on every sleep and NIO selects with a 1 s timeout, so every loop wakes once a second for
 * nothing. Netty 4.1 had dropped that wake-up (netty/netty#9605). Here a loop with nothing
 * scheduled reports no deadline, which both handlers already treat as "block until woken". Work
 * submitted or scheduled from another thread still wakes the loop at once, as in any Netty loop.
 */
public final class QuietEventLoopGroup extends MultiThreadIoEventLoopGroup {

  /** {@code threads} loops on threads from {@code threadFactory}, with {@code io}'s handlers. */
  public QuietEventLoopGroup(int threads, ThreadFactory threadFactory, IoHandlerFactory io) {
    super(threads, threadFactory, io);
  }

  @Override
  protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
    return new QuietEventLoop(this, executor, io);
  }

  /** One loop: no deadline, and an unbounded delay, while nothing is scheduled. */
  static final class QuietEventLoop extends SingleThreadIoEventLoop {

    QuietEventLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory io) {
      super(parent, executor, io);
    }

    /** Read by the epoll handler: -1 (nothing scheduled) disarms its timer. */
    @Override
    protected long deadlineNanos() {
      return nextScheduledTaskDeadlineNanos();
    }

    /** Read by the NIO handler: {@code Long.MAX_VALUE} selects without a timeout. */
    @Override
    protected long delayNanos(long currentTimeNanos) {
      return nextScheduledTaskDeadlineNanos() == -1
          ? Long.MAX_VALUE
          : super.delayNanos(currentTimeNanos);
    }
  }
}
