package io.minilb.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The resolver process exactly as {@code ./minilb resolver} runs it: the packaged jar, the JVM
 * flags of {@code deploy/image/java-opts} and the launcher's heap cap, with the caller's flags. It
 * picks its own ports (port 0) and reports them in its start-up log line, which is read back here.
 */
final class ShippedResolver implements AutoCloseable {

  static final Path ROOT = Path.of("..");
  private static final Pattern UP =
      Pattern.compile(
          "serving DNS on [^ ]*?/?127\\.0\\.0\\.1:(\\d+), ops on [^ ]*?/?127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final Path log;
  final InetSocketAddress dns;
  final InetSocketAddress ops;

  private ShippedResolver(Process process, Path log, InetSocketAddress dns, InetSocketAddress ops) {
    this.process = process;
    this.log = log;
    this.dns = dns;
    this.ops = ops;
  }

  /** Starts the resolver with {@code flags} (plus loopback port-0 listeners) and waits until up. */
  static ShippedResolver start(Path dir, String... flags) throws IOException {
    return start(command(), dir, flags);
  }

  /** {@link #start} with the launcher's heap cap replaced by {@code -Xmx<heap>}. */
  static ShippedResolver startWithHeap(Path dir, String heap, String... flags) throws IOException {
    var cmd = new ArrayList<>(command());
    cmd.replaceAll(arg -> arg.startsWith("-Xmx") ? "-Xmx" + heap : arg);
    return start(cmd, dir, flags);
  }

  /** {@link #start} with {@code jvm} flags added after the shipped ones. */
  static ShippedResolver startWithJvmFlags(Path dir, List<String> jvm, String... flags)
      throws IOException {
    var cmd = new ArrayList<>(command());
    cmd.addAll(cmd.indexOf("-jar"), jvm);
    return start(cmd, dir, flags);
  }

  private static ShippedResolver start(List<String> base, Path dir, String... flags)
      throws IOException {
    var cmd = new ArrayList<>(base);
    cmd.addAll(List.of("--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"));
    cmd.addAll(List.of(flags));
    Path log = Files.createTempFile(dir, "resolver", ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Matcher m =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () -> {
                    if (!p.isAlive()) {
                      throw new IllegalStateException("exited " + p.exitValue());
                    }
                    Matcher found = UP.matcher(Files.readString(log));
                    return found.find() ? found : null;
                  },
                  found -> found != null);
      return new ShippedResolver(
          p,
          log,
          new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))),
          new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))));
    } catch (ConditionTimeoutException | IllegalStateException e) {
      p.destroyForcibly();
      throw new AssertionError("the resolver did not start:\n" + Files.readString(log), e);
    }
  }

  /** What the launcher execs for {@code resolver}, checked against the launcher script itself. */
  static List<String> command() throws IOException {
    String launcher = Files.readString(ROOT.resolve("minilb"));
    Matcher exec =
        Pattern.compile(
                "exec java \"\\$\\{jvm_flags\\[@\\]\\}\" ((?:-X\\S+ )+)-jar \"\\$resolver_jar\"")
            .matcher(launcher);
    if (!exec.find()) {
      throw new AssertionError("the launcher no longer runs the resolver jar as expected");
    }
    var cmd = new ArrayList<String>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    Files.readAllLines(ROOT.resolve("deploy/image/java-opts")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(cmd::add);
    cmd.addAll(List.of(exec.group(1).trim().split(" "))); // the heap flags: -Xmx and the like
    cmd.add("-jar");
    cmd.add(ROOT.resolve("resolver/target/minilb-resolver.jar").toString());
    return cmd;
  }

  int dnsPort() {
    return dns.getPort();
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
