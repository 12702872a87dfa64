package io.minilb.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops port over real sockets: what it serves, and what it refuses from a hostile client. */
class OpsServerTest {

  /** Room for the idle sockets below: every test socket comes from 127.0.0.1. */
  private static final int PER_SOURCE = 24;

  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicInteger entered = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch unstick = new CountDownLatch(1);
  private OpsServer server;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    var registry = new PrometheusRegistry();
    Counter.builder().name("ops_test_hits").help("hits").register(registry).inc();
    server =
        OpsServer.start(new InetSocketAddress("127.0.0.1", 0), ready::get, registry, PER_SOURCE);
    server.handle("/routes", ex -> OpsServer.text(ex, 200, "query=" + ex.query() + "\n"));
    server.handle("/routes/deep", ex -> OpsServer.text(ex, 200, "deep\n"));
    server.handle(
        "/boom",
        ex -> {
          throw new IllegalStateException("handler failure");
        });
    server.handle(
        "/err",
        ex -> {
          throw new StackOverflowError("handler error");
        });
    byte[] big = "0123456789abcdef".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII);
    server.handle("/big", ex -> ex.respond(200, "text/plain", big));
    server.handle("/slow", ex -> held(ex, release));
    server.handle("/stuck", ex -> held(ex, unstick));
  }

  /** A slow handler that ignores interrupts: it answers once {@code latch} opens. */
  private void held(OpsExchange ex, CountDownLatch latch) throws IOException {
    entered.incrementAndGet();
    while (latch.getCount() > 0) {
      try {
        latch.await();
      } catch (InterruptedException ignored) {
        // as deaf to interrupts as a handler stuck in I/O
      }
    }
    OpsServer.text(ex, 200, "slow\n");
  }

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    unstick.countDown();
    for (Socket s : clients) {
      s.close();
    }
    server.close();
  }

  @Test
  void healthz_readyz_andMetrics_areServed() throws IOException {
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
    assertThat(get("/readyz")).startsWith("HTTP/1.1 503 ").endsWith("not ready\n");
    ready.set(true);
    assertThat(get("/readyz")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nready\n");
    String metrics = get("/metrics");
    assertThat(metrics)
        .startsWith("HTTP/1.1 200 ")
        .contains("Content-Type: text/plain; version=0.0.4")
        .contains("ops_test_hits_total 1.0");
  }

  @Test
  void everyResponse_hasContentLength_andConnectionClose() throws IOException {
    for (String path : List.of("/healthz", "/nothing", "/boom")) {
      String response = get(path);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertThat(response)
          .contains("\r\nConnection: close\r\n")
          .contains("\r\nContent-Length: " + body.length() + "\r\n");
    }
  }

  @Test
  void paths_matchByWholeSegmentPrefix_andHandlersGetTheQuery() throws IOException {
    assertThat(get("/routes?format=dhcp121&gateway=192.168.1.1"))
        .endsWith("query=format=dhcp121&gateway=192.168.1.1\n");
    assertThat(get("/routes")).endsWith("query=null\n");
    assertThat(get("/routes/deep/x")).endsWith("deep\n");
    assertThat(get("/routes/other")).endsWith("query=null\n");
    assertThat(get("/routesx")).startsWith("HTTP/1.1 404 ");
    assertThat(get("/")).startsWith("HTTP/1.1 404 ");
  }

  @Test
  void head_hasTheLengthOfGet_butNoBody() throws IOException {
    String response = exchange("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200 ").contains("Content-Length: 3\r\n");
    assertThat(response).endsWith("\r\n\r\n");
  }

  @Test
  void http10_isServed() throws IOException {
    assertThat(exchange("GET /healthz HTTP/1.0\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .endsWith("ok\n");
  }

  @Test
  void otherMethods_get405_withAllow() throws IOException {
    for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
      assertThat(exchange(method + " /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
          .startsWith("HTTP/1.1 405 ")
          .contains("\r\nAllow: GET, HEAD\r\n");
    }
  }

  @Test
  void postWithABody_isRefused_andTheAnswerArrives() throws IOException {
    String body = "x".repeat(20_000);
    assertThat(
            exchange(
                "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body))
        .startsWith("HTTP/1.1 405 ");
  }

  @Test
  void getWithABody_isRefused() throws IOException {
    assertThat(exchange("GET /healthz HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"))
        .startsWith("HTTP/1.1 413 ");
    assertThat(exchange("GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
        .startsWith("HTTP/1.1 411 ");
    assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void garbage_gets400() throws IOException {
    for (String garbage :
        List.of(
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\r\n\r\n",
            "hello\r\n\r\n",
            "GET  /healthz HTTP/1.1\r\n\r\n",
            "GET /healthz HTTP/1.1 extra\r\n\r\n",
            "GET healthz HTTP/1.1\r\n\r\n",
            "GET //evil/healthz HTTP/1.1\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nno colon\r\n\r\n",
            "GET /healthz HTTP/1.1\r\n folded: x\r\n\r\n",
            "GET /h\u00e9althz HTTP/1.1\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nX: \u0000\r\n\r\n",
            "GET /healthz FTP/1.1\r\n\r\n")) {
      assertThat(exchange(garbage)).as(garbage).startsWith("HTTP/1.1 400 ");
    }
    assertThat(exchange("GET /healthz HTTP/2.0\r\n\r\n")).startsWith("HTTP/1.1 505 ");
  }

  @Test
  void probes_areAnswered_whileEveryWorkerIsHeld_andOthersWaitInTheQueue() throws Exception {
    for (int i = 0; i < OpsConnections.WORKERS + 2; i++) {
      connect().getOutputStream().write(request("GET", "/slow"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> entered.get() == OpsConnections.WORKERS);
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
    assertThat(get("/healthz/deeper")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
    assertThat(get("/readyz")).startsWith("HTTP/1.1 503 ").endsWith("\r\n\r\nnot ready\n");
    ready.set(true);
    assertThat(get("/readyz")).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nready\n");
    assertThat(exchange("HEAD /readyz HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .contains("Content-Length: 6\r\n")
        .endsWith("\r\n\r\n");
    assertThat(entered).as("the slow ones still held").hasValue(OpsConnections.WORKERS);
  }

  @Test
  void close_refusesNewConnections_finishesAnswersInFlight_andDropsTheRestAfterItsGrace()
      throws Exception {
    Socket slow = connect();
    Socket stuck = connect();
    slow.getOutputStream().write(request("GET", "/slow"));
    stuck.getOutputStream().write(request("GET", "/stuck"));
    Socket silent = connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> entered.get() == 2);
    InetSocketAddress address = server.address();
    var closing = new Thread(server::close);
    closing.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> refuses(address));
    release.countDown();
    for (Socket s : List.of(slow, stuck, silent)) {
      s.setSoTimeout(10_000);
    }
    assertThat(readAll(slow)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nslow\n");
    assertThat(readAll(silent)).as("no request yet: closed").isEmpty();
    assertThat(readAll(stuck)).as("closed after the grace").isEmpty();
    closing.join(10_000);
    assertThat(closing.isAlive()).as("close returned").isFalse();
  }

  @Test
  void aRequestLineOverTheHeadLimit_gets414_andTheServerGoesOn() throws IOException {
    String longTarget = "/healthz?pad=" + "a".repeat(OpsConnections.MAX_HEAD);
    assertThat(exchange("GET " + longTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 414 ");
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void emptyLinesBeforeTheRequestLine_areIgnored_upToFour() throws IOException {
    String probe = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    assertThat(exchange("\r\n" + probe)).startsWith("HTTP/1.1 200 ").endsWith("ok\n");
    assertThat(exchange("\n\r\n\n\r\n" + probe)).startsWith("HTTP/1.1 200 ").endsWith("ok\n");
    assertThat(exchange("\r\nGET /routes?a=b HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .endsWith("query=a=b\n");
    assertThat(exchange("\r\nHEAD /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"))
        .startsWith("HTTP/1.1 413 ")
        .endsWith("\r\n\r\n");
    try (Socket s = connect()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(10_000);
      // The CR and its LF in two writes: a CR alone is kept until its LF is in.
      s.getOutputStream().write("\r".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.getOutputStream().write(("\n" + probe).getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(s)).startsWith("HTTP/1.1 200 ");
    }
    assertThat(exchange("\r\n".repeat(5) + probe)).startsWith("HTTP/1.1 400 ");
    assertThat(exchange("\r\r\n" + probe)).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void oversizedHead_gets431_andTheServerGoesOn() throws IOException {
    String big = "GET /healthz HTTP/1.1\r\nX-Pad: " + "a".repeat(9000) + "\r\n\r\n";
    assertThat(exchange(big)).startsWith("HTTP/1.1 431 ");
    String justUnder =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(8000) + "\r\n\r\n";
    assertThat(exchange(justUnder)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void handlerException_gets500_andTheServerGoesOn() throws IOException {
    assertThat(get("/boom")).startsWith("HTTP/1.1 500 ");
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void aByteASecond_isCutOff_withinTheHeadBound() throws Exception {
    Socket slow = connect();
    OutputStream out = slow.getOutputStream();
    long start = System.nanoTime();
    String dribble = "GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    InputStream in = slow.getInputStream();
    slow.setSoTimeout(200);
    String answer = null;
    for (int i = 0; i < dribble.length() && answer == null; i++) {
      try {
        out.write(dribble.charAt(i));
        out.flush();
      } catch (IOException closed) {
        answer = "";
        break;
      }
      // One byte a second: wait for an answer for up to a second between bytes.
      for (int tick = 0; tick < 5 && answer == null; tick++) {
        answer = readIfAny(in);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(answer).as("cut off").isNotNull();
    assertThat(seconds).isBetween(4.0, 7.0);
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void idleSockets_underThePerSourceCap_doNotStarveProbes() throws Exception {
    for (int i = 0; i < 16; i++) {
      Socket idle = connect();
      if (i % 2 == 0) {
        idle.getOutputStream().write("GET /heal".getBytes(StandardCharsets.US_ASCII));
      }
    }
    for (int i = 0; i < 8; i++) {
      long start = System.nanoTime();
      assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ");
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
    }
  }

  @Test
  void socketsBeyondThePerSourceCap_areRefusedAtOnce_andServiceResumes() throws Exception {
    server.close();
    server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0), ready::get, null, 6);
    // Not a probe, so not let into the probe reserve: a 404 while served.
    String other = "GET /other HTTP/1.1\r\nHost: x\r\n\r\n";
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      idle.add(connect());
    }
    // Under the cap (and past the workers), a request is still served.
    assertThat(exchange(other)).startsWith("HTTP/1.1 404 ");
    // The request's socket is counted until the server has seen it closed: add idle sockets until
    // the cap is reached and a request is refused.
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> {
              idle.add(connect());
              return !exchangeOrReset(other).startsWith("HTTP/1.1 404 ");
            });
    assertThat(idle).hasSizeLessThanOrEqualTo(7);
    long start = System.nanoTime();
    String refused = exchangeOrReset(other);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
    assertThat(refused)
        .satisfiesAnyOf(
            r -> assertThat(r).startsWith("HTTP/1.1 503 "), r -> assertThat(r).isEmpty());
    for (Socket s : idle) {
      s.close();
    }
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> exchangeOrReset(other).startsWith("HTTP/1.1 404 "));
  }

  @Test
  void probes_pastThePerSourceCap_areAnsweredFromTheProbeReserve() throws Exception {
    server.close();
    server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0), ready::get, null, 2);
    server.handle("/routes", ex -> OpsServer.text(ex, 200, "routes\n"));
    for (int i = 0; i < 2; i++) {
      connect();
    }
    // A reserve slot is counted until the server has seen the last probe's socket closed.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                exchangeOrReset(new String(request("GET", "/healthz"), StandardCharsets.US_ASCII))
                    .endsWith("\r\n\r\nok\n"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                exchangeOrReset(new String(request("GET", "/readyz"), StandardCharsets.US_ASCII))
                    .endsWith("\r\n\r\nnot ready\n"));
    // Anything else past the cap is refused once its head shows it is not a probe.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                exchangeOrReset(new String(request("GET", "/routes"), StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 503 "));
  }

  @Test
  void idleSockets_areClosedAfterTheHeadBound_with408() throws Exception {
    Socket idle = connect();
    idle.setSoTimeout(8000);
    long start = System.nanoTime();
    String answer = new String(idle.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(answer)
        .satisfiesAnyOf(
            a -> assertThat(a).startsWith("HTTP/1.1 408 "), a -> assertThat(a).isEmpty());
    assertThat((System.nanoTime() - start) / 1e9).isBetween(4.0, 7.0);
  }

  @Test
  void nonHttpBytes_areRefusedAsTheyArrive_notAfterTheHeadBound() throws Exception {
    for (String garbage :
        List.of(
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000",
            "\u0080abc",
            "GET /\r\n",
            "GET /healthz\r\n",
            "hello world\n")) {
      try (Socket s = connect()) {
        s.setSoTimeout(2000);
        long start = System.nanoTime();
        s.getOutputStream().write(garbage.getBytes(StandardCharsets.ISO_8859_1));
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(answer).as(garbage).startsWith("HTTP/1.1 400 ");
        assertThat((System.nanoTime() - start) / 1e9).as(garbage).isLessThan(1.0);
      }
    }
  }

  @Test
  void concurrentSequentialClients_withinTheQueue_neverGet503() throws Exception {
    var failures = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    List<Thread> threads = new ArrayList<>();
    // Twice the workers: the others wait in the queue, counted until their sockets are closed.
    for (int t = 0; t < 2 * OpsConnections.WORKERS; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 100; i++) {
                  String r = exchangeOrReset("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                  if (!r.startsWith("HTTP/1.1 200 ")) {
                    failures.add(r.isEmpty() ? "(reset)" : r.substring(0, r.indexOf('\r')));
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void headRequest_refused_getsNoBody() throws IOException {
    String response = exchange("HEAD /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(response).startsWith("HTTP/1.1 413 ").endsWith("\r\n\r\n");
  }

  @Test
  void handlerError_gets500_andTheServerGoesOn() throws IOException {
    for (int i = 0; i < 2 * OpsConnections.WORKERS; i++) {
      assertThat(get("/err")).startsWith("HTTP/1.1 500 ");
    }
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void absoluteFormTargets_areServedByTheirPathAndQuery() throws IOException {
    assertThat(exchange("GET http://x:8080/healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .endsWith("ok\n");
    assertThat(exchange("GET http://x/routes?a=b HTTP/1.1\r\nHost: x\r\n\r\n"))
        .endsWith("query=a=b\n");
    assertThat(exchange("GET ftp://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void http11_needsExactlyOneHost_andAnswersCarryADate() throws IOException {
    assertThat(exchange("GET /healthz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    assertThat(get("/healthz"))
        .containsPattern(
            "\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");
  }

  @Test
  void aLargeAnswer_arrivesWhole_whenTheClientSendsMoreAfterItsHead() throws Exception {
    for (int round = 0; round < 3; round++) {
      try (Socket s = connect()) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        int first = in.read();
        // Bytes the server never reads: closing over them must not reset the answer.
        out.write(new byte[4096]);
        byte[] rest = in.readAllBytes();
        assertThat(first + rest.length).isGreaterThan(4 * 1024 * 1024);
        String head = new String(rest, 0, 200, StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        int headEnd = head.indexOf("\r\n\r\n") + 4;
        assertThat(rest.length - headEnd).isEqualTo(length);
      }
    }
  }

  @Test
  void clientsThatDoNotReadALargeAnswer_holdNoWorker() throws Exception {
    for (int i = 0; i < 2 * OpsConnections.WORKERS; i++) {
      var s = new Socket();
      s.setReceiveBufferSize(4096);
      s.connect(server.address(), 2000);
      clients.add(s);
      s.getOutputStream()
          .write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    Thread.sleep(500);
    long start = System.nanoTime();
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200 ");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
  }

  @Test
  void threads_areNamedDaemons() throws IOException {
    get("/healthz");
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith("ops-http"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }

  @Test
  void close_stopsAccepting() throws IOException {
    InetSocketAddress address = server.address();
    server.close();
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              try (var s = new Socket()) {
                s.connect(address, 500);
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\n\r\n".getBytes());
                assertThat(s.getInputStream().read()).isEqualTo(-1);
              } catch (IOException refused) {
                // refused: as good as closed
              }
            });
  }

  @Test
  void aSecondServer_onTheSamePort_cannotListen() {
    var taken = server.address();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OpsServer.start(taken, () -> true, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(String.valueOf(taken.getPort()));
  }

  private static byte[] request(String method, String path) {
    return (method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String readAll(Socket s) {
    try {
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException reset) {
      return "";
    }
  }

  /** Whether a connection to {@code address} is refused (or closed without an answer). */
  private static boolean refuses(InetSocketAddress address) {
    try (var s = new Socket()) {
      s.connect(address, 500);
      s.setSoTimeout(2000);
      s.getOutputStream().write(request("GET", "/healthz"));
      return s.getInputStream().read() < 0;
    } catch (IOException refused) {
      return true;
    }
  }

  private String get(String path) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  private String exchange(String request) throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** As {@link #exchange}, with a reset or refused connection read as an empty answer. */
  private String exchangeOrReset(String request) {
    try {
      return exchange(request);
    } catch (IOException e) {
      return "";
    }
  }

  private Socket connect() throws IOException {
    var s = new Socket();
    s.connect(server.address(), 2000);
    clients.add(s);
    return s;
  }

  /** Whatever the server sent within 200 ms (empty when it closed), or null if nothing yet. */
  private static String readIfAny(InputStream in) throws IOException {
    var got = new ByteArrayOutputStream();
    try {
      int b = in.read();
      if (b < 0) {
        return "";
      }
      got.write(b);
      got.write(in.readAllBytes());
      return got.toString(StandardCharsets.ISO_8859_1);
    } catch (java.net.SocketTimeoutException nothingYet) {
      return null;
    } catch (IOException reset) {
      return "";
    }
  }
}
