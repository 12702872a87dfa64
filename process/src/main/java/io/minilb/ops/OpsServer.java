package io.minilb.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operations HTTP port: {@code /healthz} (the process is alive), {@code /readyz} (it can do its
 * job), {@code /metrics} (Prometheus text format) and any extra handlers a process registers. One
 * small daemon thread; never on a hot path.
 */
public final class OpsServer implements AutoCloseable {

  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /** As above, with {@code /metrics} in the Prometheus text format from {@code registry}. */
  public static OpsServer start(
      InetSocketAddress listen, BooleanSupplier ready, PrometheusRegistry registry)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(listen, 16);
    } catch (IOException e) {
      throw io.minilb.cli.HostPort.cannotListen(listen, e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "ops-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/healthz", ex -> text(ex, 200, "ok\n"));
    server.createContext(
        "/readyz",
        ex -> {
          boolean ok = ready.getAsBoolean();
          text(ex, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
        });
    if (registry != null) {
      var writer = new PrometheusTextFormatWriter(false);
      server.createContext(
          "/metrics",
          ex -> {
            var body = new java.io.ByteArrayOutputStream(8192);
            writer.write(
                body, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
            ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            ex.sendResponseHeaders(200, body.size());
            try (OutputStream out = ex.getResponseBody()) {
              body.writeTo(out);
            }
          });
    }
    server.start();
    return new OpsServer(server);
  }

  public void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Writes a plain-text response and closes the exchange. */
  public static void text(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
