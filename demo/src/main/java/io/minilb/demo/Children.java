package io.minilb.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo's child processes: started with the same JVM, their output prefixed, forwarded and
 * handed to a line listener, and all of them stopped (TERM, then KILL after 5 s) when the demo
 * ends. A child marked restartable is started again when it exits, with a doubling back-off (1 s up
 * to 16 s, reset after 30 s of running), as the kubelet restarts a Deployment's pod. Thread-safe.
 */
final class Children {

  /** The images' JVM flags (deploy/image/java-opts), when the launcher says where they are. */
  static List<String> jvmFlags() {
    java.nio.file.Path opts =
        java.nio.file.Path.of(
            System.getProperty("minilb.home", "."), "deploy", "image", "java-opts");
    try {
      return java.nio.file.Files.readAllLines(opts).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      return List.of("-XX:+UseSerialGC");
    }
  }

  private static final long MAX_BACKOFF_MS = 16_000;
  private static final long STABLE_MS = 30_000;

  /** One supervised child; {@code args} may change between restarts (e.g. to pin a port). */
  private static final class Child {
    final String name;
    final String mainClass;
    final boolean restartable;
    final Consumer<String> onLine;
    volatile List<String> args;
    volatile Process process;
    long startedAt;
    long backoffMs = 1_000;

    Child(
        String name,
        String mainClass,
        List<String> args,
        boolean restartable,
        Consumer<String> onLine) {
      this.name = name;
      this.mainClass = mainClass;
      this.args = args;
      this.restartable = restartable;
      this.onLine = onLine;
    }
  }

  private final Map<String, Child> children = new ConcurrentHashMap<>();
  private final CompletableFuture<String> fatalExit = new CompletableFuture<>();
  private volatile boolean stopping;

  /** Starts {@code name}; {@code onLine} sees every line it prints. */
  void start(
      String name,
      String mainClass,
      List<String> args,
      boolean restartable,
      Consumer<String> onLine)
      throws IOException {
    var child = new Child(name, mainClass, args, restartable, onLine);
    children.put(name, child);
    launch(child);
  }

  /** The arguments {@code name} gets from its next restart on. */
  void restartWith(String name, List<String> args) {
    children.get(name).args = List.copyOf(args);
  }

  /** The PID of {@code name}'s current process. */
  long pid(String name) {
    return children.get(name).process.pid();
  }

  /** A future that completes, with a description, when a child that is not restarted exits. */
  CompletableFuture<String> fatalExit() {
    return fatalExit;
  }

  void stop() {
    stopping = true;
    List<Process> all = children.values().stream().map(c -> c.process).toList();
    all.forEach(Process::destroy);
    for (Process p : all) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized void launch(Child child) throws IOException {
    if (stopping) {
      return;
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath =
        System.getProperty(
            "minilb." + child.name + ".classpath", System.getProperty("java.class.path"));
    var cmd = new ArrayList<String>();
    cmd.add(java);
    cmd.addAll(jvmFlags());
    if (child.name.equals("resolver")) {
      cmd.add("-Xmx96m");
      cmd.add("-XX:MaxNewSize=6m"); // as the images run it
      cmd.add("-XX:MaxDirectMemorySize=64m");
    } else {
      // the heap flags of ./minilb controller
      cmd.add("-Xmx160m");
      cmd.add("-XX:MaxNewSize=16m");
    }
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(child.mainClass);
    cmd.addAll(child.args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    child.process = p;
    child.startedAt = System.nanoTime();
    Thread pump = new Thread(() -> forward(child, p), child.name + "-log");
    pump.setDaemon(true);
    pump.start();
    p.onExit().thenAccept(exited -> exited(child, exited));
  }

  private void exited(Child child, Process p) {
    if (stopping) {
      return;
    }
    if (!child.restartable) {
      fatalExit.complete(child.name + " exited (" + p.exitValue() + ")");
      return;
    }
    if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - child.startedAt) >= STABLE_MS) {
      child.backoffMs = 1_000;
    }
    long delay = child.backoffMs;
    child.backoffMs = Math.min(MAX_BACKOFF_MS, delay * 2);
    System.out.println(
        "minilb demo: "
            + child.name
            + " (pid "
            + p.pid()
            + ") exited ("
            + p.exitValue()
            + "); restarting it in "
            + delay / 1000
            + " s, as a Deployment would");
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              try {
                launch(child);
              } catch (IOException e) {
                fatalExit.complete(child.name + " could not be restarted: " + e.getMessage());
              }
            });
  }

  private static void forward(Child child, Process p) {
    try (var in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        System.out.println("[" + child.name + "] " + line);
        child.onLine.accept(line);
      }
    } catch (IOException ignored) {
      // the child is gone
    }
  }
}
