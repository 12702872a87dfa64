package io.minilb.ops;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops port's sockets: an accept thread blocked in {@code accept()}, up to {@link #WORKERS}
 * worker threads (created on first use, then parked without a timeout), and a reaper that closes
 * any connection still open {@link #CONNECTION_LIMIT_NANOS} after it was accepted. A connection
 * beyond the workers is answered 503 and closed at once, never queued. The request head must arrive
 * whole within {@link #HEAD_TIMEOUT_NANOS} and fit in {@link #MAX_HEAD} bytes. Threads are daemons
 * named {@code ops-http-*}; while no connection is open none of them wakes.
 */
final class OpsConnections {

  static final int WORKERS = 4;
  static final int MAX_HEAD = 8192;
  static final long HEAD_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
  static final long CONNECTION_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int LINGER_BYTES = 65536;
  private static final String TEXT = "text/plain; charset=utf-8";

  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

  private final ServerSocket server;
  private final Function<String, OpsHandler> handlers;
  private final ThreadPoolExecutor workers;
  private final DelayQueue<Expiry> open = new DelayQueue<>();
  private final Thread acceptor;
  private final Thread reaper;
  private volatile boolean closed;

  OpsConnections(ServerSocket server, Function<String, OpsHandler> handlers) {
    this.server = server;
    this.handlers = handlers;
    var n = new AtomicInteger();
    // Core threads without a timeout: an idle worker parks in take() until a connection comes.
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            0,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "ops-http-" + n.incrementAndGet()));
    this.acceptor = daemon(this::acceptLoop, "ops-http-accept");
    this.reaper = daemon(this::reapLoop, "ops-http-reaper");
  }

  void start() {
    acceptor.start();
    reaper.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    workers.shutdownNow();
    reaper.interrupt();
    for (Expiry e : open) {
      e.close();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // Out of file descriptors, say: pause rather than spin on the error.
        log.warn("ops port: accept failed: {}", e.toString());
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          return;
        }
        continue;
      }
      try {
        workers.execute(() -> serve(socket));
      } catch (RejectedExecutionException e) {
        busy(socket);
      }
    }
  }

  /** Answers 503 from the accept thread: a fresh socket's send buffer takes it without blocking. */
  private static void busy(Socket socket) {
    try (socket) {
      OpsExchange.write(
          socket.getOutputStream(),
          503,
          TEXT,
          "busy\n".getBytes(StandardCharsets.US_ASCII),
          false,
          "Retry-After: 1\r\n");
      socket.shutdownOutput();
    } catch (IOException e) {
      // the client is gone
    }
  }

  private void reapLoop() {
    while (!closed) {
      try {
        open.take().close();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    long accepted = System.nanoTime();
    var expiry = new Expiry(socket, accepted + CONNECTION_LIMIT_NANOS);
    open.add(expiry);
    try (socket) {
      if (closed) {
        return;
      }
      InputStream in = socket.getInputStream();
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      OpsRequest request;
      try {
        byte[] head = new byte[MAX_HEAD];
        request = OpsRequest.parse(head, readHead(socket, in, head, accepted + HEAD_TIMEOUT_NANOS));
      } catch (OpsRequest.Rejected r) {
        byte[] body = (r.getMessage() + "\n").getBytes(StandardCharsets.US_ASCII);
        OpsExchange.write(out, r.status, TEXT, body, false, r.extraHeaders);
        lingeringClose(socket, in);
        return;
      } catch (SocketTimeoutException e) {
        byte[] body = "request head too slow\n".getBytes(StandardCharsets.US_ASCII);
        OpsExchange.write(out, 408, TEXT, body, false, "");
        return;
      }
      dispatch(request, out);
    } catch (IOException e) {
      // The client went away or the reaper closed the socket: nothing left to answer.
    } finally {
      open.remove(expiry);
    }
  }

  /**
   * Reads until the empty line that ends the head and returns the head's length without it; bytes
   * after it (a body, a pipelined request) are never read, since the connection is closed after one
   * response.
   */
  private static int readHead(Socket socket, InputStream in, byte[] buf, long deadline)
      throws IOException, OpsRequest.Rejected {
    int n = 0;
    int from = 0;
    while (true) {
      // Look back over the last bytes read before: the terminator may be split across reads.
      for (int i = Math.max(0, from - 2); i < n; i++) {
        if (buf[i] == '\n'
            && (i + 1 < n && buf[i + 1] == '\n'
                || i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n')) {
          return i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
        }
      }
      from = n;
      if (n == buf.length) {
        throw new OpsRequest.Rejected(431, "request head over " + MAX_HEAD + " bytes");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("request head too slow");
      }
      // A bound on the whole head, not each read: a byte a second cannot hold the worker.
      socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        throw new EOFException();
      }
      n += r;
    }
  }

  private void dispatch(OpsRequest request, OutputStream out) throws IOException {
    var exchange = new OpsExchange(request, out);
    OpsHandler handler = handlers.apply(request.path());
    if (handler == null) {
      OpsServer.text(exchange, 404, "not found\n");
      return;
    }
    try {
      handler.handle(exchange);
    } catch (IOException | RuntimeException e) {
      if (exchange.responded()) {
        throw e instanceof IOException io ? io : new IOException(e);
      }
      log.warn("ops port: handler for {} failed", request.path(), e);
      OpsServer.text(exchange, 500, "internal error\n");
      return;
    }
    if (!exchange.responded()) {
      log.warn("ops port: handler for {} sent no response", request.path());
      OpsServer.text(exchange, 500, "internal error\n");
    }
  }

  /**
   * After refusing a request that may carry a body: stop sending, then read and drop what the
   * client still sends (bounded), so that closing does not reset the connection before the client
   * has read the answer.
   */
  private static void lingeringClose(Socket socket, InputStream in) {
    try {
      socket.shutdownOutput();
      socket.setSoTimeout(1000);
      byte[] sink = new byte[4096];
      int total = 0;
      int r;
      while (total < LINGER_BYTES && (r = in.read(sink)) >= 0) {
        total += r;
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static Thread daemon(Runnable r, String name) {
    var t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** When the reaper closes a connection, whatever its worker is doing with it. */
  private static final class Expiry implements Delayed {
    private final Socket socket;
    private final long deadline;

    Expiry(Socket socket, long deadline) {
      this.socket = socket;
      this.deadline = deadline;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(deadline, ((Expiry) other).deadline);
    }
  }
}
