package io.minilb.controller.stream;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * The process's direct (off-heap) memory as Netty sees it, where gRPC's outbound buffers live.
 * Netty counts its own allocations when it bypasses the JDK's cleaner; otherwise they are ordinary
 * direct {@link java.nio.ByteBuffer}s, counted by the JVM's "direct" buffer pool.
 */
public final class DirectMemory {

  private DirectMemory() {}

  /** Bytes of direct memory in use now. */
  public static long used() {
    long netty = PlatformDependent.usedDirectMemory();
    if (netty >= 0) {
      return netty;
    }
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if ("direct".equals(pool.getName())) {
        return pool.getMemoryUsed();
      }
    }
    return 0;
  }

  /** The most direct memory the process may use ({@code -XX:MaxDirectMemorySize}). */
  public static long max() {
    return PlatformDependent.maxDirectMemory();
  }
}
