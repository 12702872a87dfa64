package io.minilb.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuietEventLoopGroupTest {

  static Stream<Arguments> transports() {
    var all = new ArrayList<Arguments>(List.of(Arguments.of("nio", NioIoHandler.newFactory())));
    if (Epoll.isAvailable()) {
      all.add(Arguments.of("epoll", EpollIoHandler.newFactory()));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void idleLoop_withNothingScheduled_staysAsleep(String name, IoHandlerFactory io)
      throws Exception {
    var counting = new CountingFactory(io);
    var group = new QuietEventLoopGroup(1, new DefaultThreadFactory("quiet-test"), counting);
    try {
      group.submit(() -> {}).get(5, TimeUnit.SECONDS);
      // Netty's own loops return from their I/O wait once a second here.
      staysAsleep(counting);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void taskScheduledFromAnotherThread_wakesTheSleepingLoopOnTime(String name, IoHandlerFactory io)
      throws Exception {
    var counting = new CountingFactory(io);
    var group = new QuietEventLoopGroup(1, new DefaultThreadFactory("quiet-test"), counting);
    try {
      group.submit(() -> {}).get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(counting::asleep);

      long start = System.nanoTime();
      var ran = group.next().schedule(System::nanoTime, 200, TimeUnit.MILLISECONDS);
      long at = ran.get(5, TimeUnit.SECONDS);

      assertThat(Duration.ofNanos(at - start))
          .isBetween(Duration.ofMillis(190), Duration.ofMillis(800));
      var now = group.submit(System::nanoTime).get(1, TimeUnit.SECONDS);
      assertThat(now).isGreaterThan(at);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void cancelledTask_leavesTheLoopAsleep(String name, IoHandlerFactory io) throws Exception {
    var counting = new CountingFactory(io);
    var group = new QuietEventLoopGroup(1, new DefaultThreadFactory("quiet-test"), counting);
    try {
      var loop = group.next();
      loop.submit(() -> loop.schedule(() -> {}, 300, TimeUnit.MILLISECONDS).cancel(false))
          .get(5, TimeUnit.SECONDS);
      staysAsleep(counting);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Waits for the loop to sleep, then checks it does not return from its I/O wait for 2.5 s. */
  private static void staysAsleep(CountingFactory counting) {
    await().atMost(Duration.ofSeconds(5)).until(counting::asleep);
    int runs = counting.runs.get();
    await()
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(4))
        .until(() -> counting.runs.get() == runs);
  }

  /** Counts the loop's returns from its I/O wait. */
  private static final class CountingFactory implements IoHandlerFactory {
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger inside = new AtomicInteger();
    private final IoHandlerFactory delegate;

    CountingFactory(IoHandlerFactory delegate) {
      this.delegate = delegate;
    }

    boolean asleep() {
      return inside.get() == 1;
    }

    @Override
    public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
      IoHandler handler = delegate.newHandler(executor);
      return new IoHandler() {
        @Override
        public void initialize() {
          handler.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
          inside.set(1);
          try {
            return handler.run(context);
          } finally {
            inside.set(0);
            runs.incrementAndGet();
          }
        }

        @Override
        public void prepareToDestroy() {
          handler.prepareToDestroy();
        }

        @Override
        public void destroy() {
          handler.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
          return handler.register(handle);
        }

        @Override
        public void wakeup() {
          handler.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
          return handler.isCompatible(handleType);
        }
      };
    }

    @Override
    public boolean isChangingThreadSupported() {
      return delegate.isChangingThreadSupported();
    }
  }
}
