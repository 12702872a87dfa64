package io.minilb.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code ./minilb demo} as users run it: the packaged {@code minilb-demo.jar} in its own JVM with
 * the system properties the launcher passes, seeded from {@code deploy/demo}, its controller and
 * resolver as child processes. The ports are read back from what the demo prints.
 */
final class ShippedDemo implements AutoCloseable {

  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern CONTROLLER_HTTP =
      Pattern.compile("curl 'http://127\\.0\\.0\\.1:(\\d+)/routes");
  private static final Pattern RESOLVER_HTTP =
      Pattern.compile("\\[resolver\\] .*ops on /127\\.0\\.0\\.1:(\\d+)");

  final int dnsPort;
  final int controllerHttp;
  final int resolverHttp;
  final Path kubeconfig;
  private final Process process;
  private final Path log;

  private ShippedDemo(Process process, Path log, int dnsPort, Path kubeconfig) throws IOException {
    this.process = process;
    this.log = log;
    this.dnsPort = dnsPort;
    this.kubeconfig = kubeconfig;
    String out = awaitLog("minilb demo is running");
    this.controllerHttp = port(CONTROLLER_HTTP, out);
    this.resolverHttp = port(RESOLVER_HTTP, out);
  }

  /** Starts the demo and waits until it says it is running (controller and resolver ready). */
  static ShippedDemo start(Path dir) throws IOException {
    Path demoJar = jar("demo", "minilb-demo.jar");
    int dnsPort = freePort();
    Path kubeconfig = dir.resolve("kubeconfig");
    Path log = dir.resolve("demo.log");
    var cmd = new ArrayList<String>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(Children.jvmFlags());
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-Dminilb.home=" + HOME,
            "-Dminilb.controller.classpath=" + jar("controller", "minilb-controller.jar"),
            "-Dminilb.resolver.classpath=" + jar("resolver", "minilb-resolver.jar"),
            "-jar",
            demoJar.toString(),
            "--dns-port",
            Integer.toString(dnsPort),
            "--kubeconfig-out",
            kubeconfig.toString()));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      return new ShippedDemo(p, log, dnsPort, kubeconfig);
    } catch (RuntimeException | IOException e) {
      destroy(p);
      throw e;
    }
  }

  /** A packaged jar of this checkout; these tests run after {@code mvn package}. */
  static Path jar(String module, String name) {
    Path jar = HOME.resolve(module).resolve("target").resolve(name);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: integration tests run the packaged jars (mvn -B verify)");
    }
    return jar;
  }

  /** {@code GET http://127.0.0.1:port/path}, the body; fails on a status other than 200. */
  static String get(int port, String path) throws IOException, InterruptedException {
    var response = getResponse(port, path);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  static HttpResponse<String> getResponse(int port, String path)
      throws IOException, InterruptedException {
    var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** What the demo and its children printed so far. */
  String log() throws IOException {
    return Files.readString(log);
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private String awaitLog(String line) throws IOException {
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !process.isAlive() || log().contains(line));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("the demo did not start in 120 s:\n" + log(), e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("the demo exited " + process.exitValue() + ":\n" + log());
    }
    return log();
  }

  private int port(Pattern p, String out) {
    var m = p.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + p + " in the demo's output:\n" + out);
    }
    return Integer.parseInt(m.group(1));
  }

  @Override
  public void close() {
    destroy(process);
  }

  /** TERM (the demo's shutdown hook stops its children), then KILL after 10 s. */
  static void destroy(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
