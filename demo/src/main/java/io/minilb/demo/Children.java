package io.minilb.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo's child processes: started with the same JVM, their output prefixed and forwarded, and
 * all of them stopped (TERM, then KILL after 5 s) when the demo ends.
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

  private final List<Process> processes = new ArrayList<>();

  synchronized void start(String name, String mainClass, List<String> args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath =
        System.getProperty("minilb." + name + ".classpath", System.getProperty("java.class.path"));
    var cmd = new ArrayList<String>();
    cmd.add(java);
    cmd.addAll(jvmFlags());
    cmd.add(name.equals("resolver") ? "-Xmx96m" : "-Xmx160m");
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    Thread pump = new Thread(() -> forward(name, p), name + "-log");
    pump.setDaemon(true);
    pump.start();
  }

  /** Waits until every {@code /readyz} answers 200; false on timeout or if a child died. */
  boolean awaitReady(List<Integer> httpPorts, int seconds) throws InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int port : httpPorts) {
      while (true) {
        if (processes.stream().anyMatch(p -> !p.isAlive())) {
          return false;
        }
        try {
          var req =
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                  .timeout(Duration.ofSeconds(1))
                  .build();
          if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(100);
      }
    }
    return true;
  }

  /** Blocks until any child exits; returns its exit code. */
  int awaitAnyExit() {
    List<CompletableFuture<Process>> exits;
    synchronized (this) {
      exits = processes.stream().map(Process::onExit).toList();
    }
    Process p = (Process) CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new)).join();
    return p.exitValue();
  }

  synchronized void stop() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
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

  private static void forward(String name, Process p) {
    try (var in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        System.out.println("[" + name + "] " + line);
      }
    } catch (IOException ignored) {
      // the child is gone
    }
  }
}
