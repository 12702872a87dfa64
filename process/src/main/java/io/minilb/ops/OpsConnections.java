package io.minilb.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops port's sockets. One selector thread accepts, reads every request head and writes every
 * answer without blocking; a complete, checked head goes to one of {@link #WORKERS} worker threads
 * (at most {@link #QUEUE} waiting), which runs the handler into memory and gives the answer back to
 * the selector. A probe's handler ({@link Route#probe}) is cheap and never blocks: the selector
 * runs it itself, so that probes never wait behind slow handlers. Once the answer is out, the
 * selector shuts the output and reads and drops what the client still sends until it closes (at
 * most {@link #DRAIN_BYTES} bytes, {@link #DRAIN_NANOS}), so that closing never resets an answer.
 * No thread ever waits on a client.
 *
 * <p>Bounds: {@link #MAX_CONNECTIONS} open connections in all and a per-source-address cap, each
 * counted from accept to close; past the cap a source has {@link #PROBE_RESERVE} more slots for
 * probes only (a head within {@link #PROBE_HEAD_TIMEOUT_NANOS}, for a probe path, else {@code 408}
 * or {@code 503}); beyond all that, a best-effort {@code 503} and close at once. At most {@code
 * WORKERS + QUEUE} requests between head and written answer (beyond: {@code 503}); the head must
 * arrive whole within {@link #HEAD_TIMEOUT_NANOS} of the accept ({@code 408}) and fit in {@link
 * #MAX_HEAD} bytes ({@code 414} if the request line alone does not, else {@code 431}), after at
 * most {@link #EMPTY_LINES} ignored empty lines; bytes no head may hold are refused as they arrive
 * ({@code 400}); the answer must be taken by the client within {@link #CONNECTION_LIMIT_NANOS} of
 * the accept, else the connection is closed.
 *
 * <p>{@link #close} refuses new connections at once, closes those still sending a head, and gives
 * the answers already asked for up to {@link #CLOSE_GRACE_NANOS} to be computed and written out.
 *
 * <p>Threads are daemons named {@code ops-http-*}. While no connection is open the selector waits
 * without a timeout and the workers are parked without one: an idle process never wakes for this
 * port.
 */
final class OpsConnections {

  static final int WORKERS = 4;
  static final int QUEUE = 16;
  static final int MAX_CONNECTIONS = 256;
  static final int PER_SOURCE = 8;
  static final int PROBE_RESERVE = 2;
  static final long PROBE_HEAD_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int EMPTY_LINES = 4;
  static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int MAX_HEAD = 8192;
  static final long HEAD_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
  static final long CONNECTION_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int DRAIN_BYTES = 65536;

  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Function<String, Route> routes;
  private final int perSource;
  private final ThreadPoolExecutor workers;
  private final Thread selectorThread;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, Integer> bySource = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Conn> returned = new ConcurrentLinkedQueue<>();
  // Connections the selector owns (reading a head, or draining after the answer); its thread only.
  private final Set<Conn> pending = new HashSet<>();
  // Every open connection, wherever it is, to close them all when the server stops.
  private final Set<Conn> all = ConcurrentHashMap.newKeySet();
  private final List<Conn> handoffs = new ArrayList<>();
  // Requests given to the workers and not yet written out: each holds its whole answer at the end.
  private int serving;
  private final ByteBuffer sink = ByteBuffer.allocate(4096);
  private volatile boolean closed;

  /**
   * What serves a path: a handler, and whether it is a probe's, which the selector thread runs
   * itself (so it must be cheap and never block).
   */
  record Route(OpsHandler handler, boolean probe) {}

  OpsConnections(ServerSocketChannel server, Function<String, Route> routes, int perSource)
      throws IOException {
    this.server = server;
    this.routes = routes;
    this.perSource = perSource;
    server.configureBlocking(false);
    this.selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    var n = new AtomicInteger();
    // Core threads without a timeout: an idle worker parks in take() until a request comes.
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> daemon(r, "ops-http-" + n.incrementAndGet()));
    this.selectorThread = daemon(this::selectLoop, "ops-http-select");
  }

  void start() {
    selectorThread.start();
  }

  InetSocketAddress address() {
    var s = server.socket();
    return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
  }

  /**
   * Refuses new connections at once and returns once the answers in flight are out, or after the
   * grace (and a second more for the selector thread to close everything) at the latest.
   */
  void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    // Queued requests still run within the grace; the selector stops the workers after it.
    workers.shutdown();
    selector.wakeup();
    try {
      selectorThread.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NANOS) + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    if (!selectorThread.isAlive()) {
      try {
        selector.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void selectLoop() {
    long graceEnd = 0;
    boolean stopping = false;
    while (true) {
      if (closed && !stopping) {
        stopping = true;
        graceEnd = System.nanoTime() + CLOSE_GRACE_NANOS;
        dropUnasked();
      }
      if (stopping && (all.isEmpty() || System.nanoTime() - graceEnd >= 0)) {
        break;
      }
      try {
        long next = stopping ? graceEnd : Long.MAX_VALUE;
        for (Conn c : pending) {
          next = Math.min(next, c.deadline);
        }
        if (next == Long.MAX_VALUE) {
          // Nothing pending: wait for a connection (or a returned one) with no timeout at all.
          selector.select(this::onReady);
        } else {
          long ms = TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()) + 1;
          selector.select(this::onReady, Math.max(1, ms));
        }
        while (!handoffs.isEmpty()) {
          var batch = new ArrayList<>(handoffs);
          handoffs.clear();
          // Deregisters the cancelled keys, so that their channels may block in a worker.
          selector.selectNow(this::onReady);
          for (Conn c : batch) {
            handOff(c);
          }
        }
        for (Conn c; (c = returned.poll()) != null; ) {
          answer(c);
        }
        expire();
      } catch (Throwable t) {
        log.warn("ops port: selector loop failed", t);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    workers.shutdownNow();
    for (Conn c : new ArrayList<>(all)) {
      finish(c);
    }
    pending.clear();
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** On close: drops the connections whose request is not in yet; the others get the grace. */
  private void dropUnasked() {
    for (Conn c : new ArrayList<>(pending)) {
      if (!c.draining && c.response == null) {
        finish(c);
      }
    }
  }

  private void onReady(SelectionKey key) {
    if (key.attachment() == null) {
      accept();
      return;
    }
    Conn c = (Conn) key.attachment();
    try {
      if (c.response != null) {
        write(c);
      } else if (c.draining) {
        sink.clear();
        int r = c.channel.read(sink);
        c.drained += Math.max(r, 0);
        if (r < 0 || c.drained >= DRAIN_BYTES) {
          finish(c);
        }
      } else {
        readHead(c);
      }
    } catch (IOException e) {
      finish(c);
    }
  }

  private void accept() {
    for (int i = 0; i < 64; i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        if (!closed) {
          // Out of file descriptors, say: pause rather than spin on the error.
          log.warn("ops port: accept failed: {}", e.toString());
          try {
            Thread.sleep(100);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
        }
        return;
      }
      if (channel == null) {
        return;
      }
      InetAddress source = null;
      try {
        channel.configureBlocking(false);
        source = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
      } catch (IOException e) {
        closeQuietly(channel);
        continue;
      }
      Slot slot = admit(source);
      if (slot == Slot.REFUSED) {
        try {
          channel.write(
              ByteBuffer.wrap(OpsExchange.render(503, "busy", false, "Retry-After: 1\r\n")));
        } catch (IOException e) {
          // the client is gone
        }
        closeQuietly(channel);
        continue;
      }
      long now = System.nanoTime();
      var c = new Conn(channel, source, now, slot == Slot.PROBE_ONLY);
      c.deadline = now + (c.probeOnly ? PROBE_HEAD_TIMEOUT_NANOS : HEAD_TIMEOUT_NANOS);
      all.add(c);
      try {
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        pending.add(c);
      } catch (IOException e) {
        finish(c);
      }
    }
  }

  /** Where a new connection is counted in. */
  private enum Slot {
    ANY,
    /** Past its source's cap, in the reserve: only a probe is answered. */
    PROBE_ONLY,
    /** Past the total, or past its source's cap and reserve. */
    REFUSED
  }

  /**
   * Counts a new connection in, unless that would pass the total or its source's cap and reserve.
   */
  private Slot admit(InetAddress source) {
    if (open.incrementAndGet() > MAX_CONNECTIONS) {
      open.decrementAndGet();
      return Slot.REFUSED;
    }
    Slot[] slot = {Slot.REFUSED};
    bySource.compute(
        source,
        (a, n) -> {
          int count = n == null ? 0 : n;
          slot[0] =
              count < perSource
                  ? Slot.ANY
                  : count < perSource + PROBE_RESERVE ? Slot.PROBE_ONLY : Slot.REFUSED;
          return slot[0] == Slot.REFUSED ? n : count + 1;
        });
    if (slot[0] == Slot.REFUSED) {
      open.decrementAndGet();
    }
    return slot[0];
  }

  private void readHead(Conn c) throws IOException {
    int before = c.head.position();
    int r = c.channel.read(c.head);
    if (r < 0) {
      finish(c);
      return;
    }
    byte[] buf = c.head.array();
    int n = c.head.position();
    try {
      int empty = OpsRequest.leadingEmptyLines(buf, n);
      if (empty > 0) {
        for (int i = 0; i < empty; i++) {
          c.emptyLines += buf[i] == '\n' ? 1 : 0;
        }
        if (c.emptyLines > EMPTY_LINES) {
          throw new OpsRequest.Rejected(400, "too many empty lines before the request line");
        }
        System.arraycopy(buf, empty, buf, 0, n - empty);
        n -= empty;
        c.head.position(n);
        before = 0;
      }
      OpsRequest.checkArriving(buf, before, n);
      // Look back over the last bytes read before: the terminator may be split across reads.
      for (int i = Math.max(0, before - 2); i < n; i++) {
        if (buf[i] == '\n'
            && (i + 1 < n && buf[i + 1] == '\n'
                || i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n')) {
          c.request = OpsRequest.parse(buf, i > 0 && buf[i - 1] == '\r' ? i - 1 : i);
          route(c);
          return;
        }
      }
      if (n == buf.length) {
        throw OpsRequest.requestLineOnly(buf, n)
            ? new OpsRequest.Rejected(414, "request line over " + MAX_HEAD + " bytes")
            : new OpsRequest.Rejected(431, "request head over " + MAX_HEAD + " bytes");
      }
    } catch (OpsRequest.Rejected e) {
      refuse(c, e.status, e.getMessage(), e.extraHeaders);
    }
  }

  /**
   * Answers a probe at once on this thread; gives any other request to the workers, unless its
   * connection holds a probe-only slot.
   */
  private void route(Conn c) throws OpsRequest.Rejected, IOException {
    Route route = routes.apply(c.request.path());
    if (route != null && route.probe()) {
      c.response = ByteBuffer.wrap(run(c.request, route.handler()));
      c.deadline = c.limit;
      c.key.interestOps(SelectionKey.OP_WRITE);
      write(c);
      return;
    }
    if (c.probeOnly) {
      throw new OpsRequest.Rejected(503, "busy", "Retry-After: 1\r\n");
    }
    c.handler = route == null ? null : route.handler();
    c.key.cancel();
    pending.remove(c);
    handoffs.add(c);
  }

  /**
   * Gives a checked request to a worker; a full queue, or too many answers still being written, is
   * a 503.
   */
  private void handOff(Conn c) {
    try {
      if (serving >= WORKERS + QUEUE) {
        throw new RejectedExecutionException("answers still being written");
      }
      workers.execute(() -> serve(c));
      c.serving = true;
      serving++;
    } catch (RejectedExecutionException e) {
      try {
        c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
        pending.add(c);
        refuse(c, 503, "busy", "Retry-After: 1\r\n");
      } catch (IOException | RuntimeException gone) {
        finish(c);
      }
    }
  }

  /**
   * Answers a short refusal without blocking (a fresh socket's send buffer takes it), then drains.
   */
  private void refuse(Conn c, int status, String message, String extraHeaders) {
    boolean headOnly = OpsRequest.isHead(c.head.array(), c.head.position());
    try {
      c.channel.write(ByteBuffer.wrap(OpsExchange.render(status, message, headOnly, extraHeaders)));
      c.channel.shutdownOutput();
    } catch (IOException e) {
      finish(c);
      return;
    }
    c.draining = true;
    c.deadline = System.nanoTime() + DRAIN_NANOS;
  }

  /** Takes back a connection with its answer from a worker and writes it without blocking. */
  private void answer(Conn c) {
    if (!c.channel.isOpen() || c.response == null) {
      finish(c);
      return;
    }
    c.deadline = c.limit;
    pending.add(c);
    try {
      c.key = c.channel.register(selector, SelectionKey.OP_WRITE, c);
      write(c);
    } catch (IOException | RuntimeException e) {
      finish(c);
    }
  }

  /** Writes what the socket takes; once all is out, shuts output and drains (bounded). */
  private void write(Conn c) throws IOException {
    c.channel.write(c.response);
    if (c.response.hasRemaining()) {
      return;
    }
    c.response = null;
    if (c.serving) {
      c.serving = false;
      serving--;
    }
    c.channel.shutdownOutput();
    c.key.interestOps(SelectionKey.OP_READ);
    c.draining = true;
    c.deadline = System.nanoTime() + DRAIN_NANOS;
  }

  private void expire() {
    long now = System.nanoTime();
    List<Conn> late = new ArrayList<>();
    for (Conn c : pending) {
      if (now - c.deadline >= 0) {
        late.add(c);
      }
    }
    for (Conn c : late) {
      if (!c.draining && c.response == null) {
        try {
          c.channel.write(
              ByteBuffer.wrap(OpsExchange.render(408, "request head too slow", false, "")));
        } catch (IOException e) {
          // best effort
        }
      }
      finish(c);
    }
  }

  /** Runs in a worker: answers into memory, then gives the connection back to the selector. */
  private void serve(Conn c) {
    c.response = ByteBuffer.wrap(run(c.request, c.handler));
    returned.add(c);
    selector.wakeup();
  }

  /** The whole answer to {@code request} from {@code handler} (null: none, a 404). */
  private static byte[] run(OpsRequest request, OpsHandler handler) {
    var out = new ByteArrayOutputStream(8192);
    try {
      dispatch(request, handler, out);
    } catch (Throwable t) {
      log.warn("ops port: serving {} failed", request.path(), t);
    }
    return out.toByteArray();
  }

  private static void dispatch(OpsRequest request, OpsHandler handler, OutputStream out)
      throws IOException {
    var exchange = new OpsExchange(request, out);
    if (handler == null) {
      OpsServer.text(exchange, 404, "not found\n");
      return;
    }
    try {
      handler.handle(exchange);
    } catch (Throwable t) {
      if (exchange.responded()) {
        throw t instanceof IOException io ? io : new IOException(t);
      }
      log.warn("ops port: handler for {} failed", request.path(), t);
      OpsServer.text(exchange, 500, "internal error\n");
      return;
    }
    if (!exchange.responded()) {
      log.warn("ops port: handler for {} sent no response", request.path());
      OpsServer.text(exchange, 500, "internal error\n");
    }
  }

  /** Closes a connection and counts it out, once; on the selector thread only. */
  private void finish(Conn c) {
    if (c.finished) {
      return;
    }
    c.finished = true;
    if (c.key != null) {
      c.key.cancel();
    }
    closeQuietly(c.channel);
    all.remove(c);
    if (c.serving) {
      serving--;
    }
    bySource.computeIfPresent(c.source, (a, n) -> n <= 1 ? null : n - 1);
    open.decrementAndGet();
    pending.remove(c);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static Thread daemon(Runnable r, String name) {
    var t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One connection, from accept to close. */
  private static final class Conn {
    final SocketChannel channel;
    final InetAddress source;
    final long limit;
    final boolean probeOnly;
    final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);
    boolean finished;
    SelectionKey key;
    int emptyLines;
    OpsRequest request;
    OpsHandler handler;
    volatile ByteBuffer response;
    boolean serving;
    long deadline;
    boolean draining;
    int drained;

    Conn(SocketChannel channel, InetAddress source, long accepted, boolean probeOnly) {
      this.channel = channel;
      this.source = source;
      this.limit = accepted + CONNECTION_LIMIT_NANOS;
      this.probeOnly = probeOnly;
    }
  }
}
