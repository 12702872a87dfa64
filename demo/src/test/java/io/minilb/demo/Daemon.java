package io.minilb.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/** A Debian daemon (dnsmasq, Unbound) run in the foreground for one test, killed at its end. */
final class Daemon implements AutoCloseable {

  private final Process process;
  private final Path log;

  private Daemon(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * A validating Unbound (root trust anchor, no internet needed) on {@code 127.0.0.1:port}, in the
   * foreground with its files in {@code dir} named after {@code name}, including {@code recipe};
   * its configuration must pass {@code unbound-checkconf}.
   */
  static Daemon unbound(Path dir, String name, String recipe, int port, int verbosity)
      throws IOException, InterruptedException {
    Path anchor = Path.of("/usr/share/dns/root.key");
    if (!Files.exists(anchor)) {
      throw new AssertionError(anchor + " is missing: apt-get install dns-root-data");
    }
    Path included = Files.writeString(dir.resolve(name + ".recipe.conf"), recipe);
    Path conf =
        Files.writeString(
            dir.resolve(name + ".conf"),
            String.join(
                "\n",
                "server:",
                "  interface: 127.0.0.1",
                "  port: " + port,
                "  do-ip6: no",
                "  do-daemonize: no",
                "  num-threads: 1",
                "  so-reuseport: no",
                "  username: \"\"",
                "  chroot: \"\"",
                "  directory: \"" + dir + "\"",
                "  pidfile: \"\"",
                "  use-syslog: no",
                "  logfile: \"\"",
                "  verbosity: " + verbosity,
                "  access-control: 127.0.0.0/8 allow",
                "  trust-anchor-file: \"" + anchor + "\"",
                "  module-config: \"validator iterator\"",
                "include: \"" + included + "\"",
                ""));
    Result check = check(List.of("unbound-checkconf", conf.toString()), "unbound");
    if (check.code() != 0) {
      throw new AssertionError("unbound-checkconf " + conf + ":\n" + check.output());
    }
    return start(
        List.of("unbound", "-d", "-c", conf.toString()),
        "unbound",
        port,
        dir.resolve(name + ".log"));
  }

  /**
   * Starts {@code cmd} and waits until it accepts TCP on {@code 127.0.0.1:port}.
   *
   * @param apt the Debian package that provides {@code cmd[0]}, for the failure message
   */
  static Daemon start(List<String> cmd, String apt, int port, Path log) throws IOException {
    cmd = resolved(cmd, apt);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    var d = new Daemon(p, log);
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !p.isAlive() || accepts(port));
    } catch (ConditionTimeoutException e) {
      d.close();
      throw new IllegalStateException(cmd.get(0) + " did not listen:\n" + d.log(), e);
    }
    if (!p.isAlive()) {
      throw new IllegalStateException(
          cmd.get(0) + " exited " + p.exitValue() + ": " + cmd + "\n" + d.log());
    }
    return d;
  }

  /** Runs a checker such as {@code dhcpd -t}; returns its exit code and output. */
  static Result check(List<String> cmd, String apt) throws IOException, InterruptedException {
    cmd = resolved(cmd, apt);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd + " timed out");
    }
    return new Result(p.exitValue(), out);
  }

  record Result(int code, String output) {}

  /**
   * {@code cmd} with its binary looked up on PATH and in the sbin folders. The daemons are part of
   * what these tests prove, so a missing one fails the test; .ci/run installs them.
   */
  static List<String> resolved(List<String> cmd, String apt) {
    String binary = cmd.get(0);
    var dirs = new java.util.ArrayList<>(List.of(System.getenv("PATH").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    Path found =
        dirs.stream()
            .map(dir -> Path.of(dir, binary))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        binary
                            + " is not installed: apt-get install "
                            + apt
                            + " (.ci/run installs it)"));
    var out = new java.util.ArrayList<>(cmd);
    out.set(0, found.toString());
    return out;
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static boolean accepts(int port) {
    try (var s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
