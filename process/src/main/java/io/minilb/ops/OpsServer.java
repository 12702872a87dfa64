package io.minilb.ops;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The operations HTTP port: {@code /healthz} (the process is alive), {@code /readyz} (it can do its
 * job), {@code /metrics} (Prometheus text format) and any extra handlers a process registers.
 *
 * <p>A small HTTP/1.1 server (see {@link OpsConnections}): one selector thread reads every request
 * head without blocking, {@value OpsConnections#WORKERS} worker threads run the handlers, one
 * request per connection, nothing that wakes an idle process. The probes ({@code /healthz} and
 * {@code /readyz}) are answered on the selector thread itself, so that a slow {@code /metrics} or a
 * hostile client holding the workers cannot make the kubelet restart a healthy process: the {@code
 * ready} check must therefore be cheap and never block. A handler is chosen by the longest
 * registered path that equals the request's path or is a whole-segment prefix of it ({@code
 * /routes} serves {@code /routes?format=ip} and {@code /routes/x}, not {@code /routesx}).
 */
public final class OpsServer implements AutoCloseable {

  private final Map<String, OpsConnections.Route> routes = new ConcurrentHashMap<>();
  private final OpsConnections connections;

  private OpsServer(ServerSocketChannel socket, int perSource) throws IOException {
    this.connections = new OpsConnections(socket, this::find, perSource);
  }

  /**
   * Listens on {@code listen} and serves {@code /healthz}, {@code /readyz} (200 while {@code ready}
   * holds, else 503; asked on the selector thread, so it must be cheap and never block) and, when
   * {@code registry} is not null, {@code /metrics} in the Prometheus text format from it.
   */
  public static OpsServer start(
      InetSocketAddress listen, BooleanSupplier ready, PrometheusRegistry registry)
      throws IOException {
    return start(listen, ready, registry, OpsConnections.PER_SOURCE);
  }

  /**
   * As {@link #start(InetSocketAddress, BooleanSupplier, PrometheusRegistry)} with a per-source
   * cap.
   */
  static OpsServer start(
      InetSocketAddress listen, BooleanSupplier ready, PrometheusRegistry registry, int perSource)
      throws IOException {
    var socket = ServerSocketChannel.open();
    OpsServer server;
    try {
      socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      socket.bind(listen, 64);
    } catch (IOException e) {
      socket.close();
      throw io.minilb.cli.HostPort.cannotListen(listen, e);
    }
    try {
      server = new OpsServer(socket, perSource);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    server.route("/healthz", new OpsConnections.Route(ex -> text(ex, 200, "ok\n"), true));
    server.route(
        "/readyz",
        new OpsConnections.Route(
            ex -> {
              boolean ok = ready.getAsBoolean();
              text(ex, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
            },
            true));
    if (registry != null) {
      var writer = new PrometheusTextFormatWriter(false);
      server.handle(
          "/metrics",
          ex -> {
            var body = new ByteArrayOutputStream(8192);
            writer.write(body, registry.scrape(), EscapingScheme.ALLOW_UTF8);
            ex.respond(200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
          });
    }
    server.connections.start();
    return server;
  }

  /** Serves {@code path} and the paths below it with {@code handler}; a path is registered once. */
  public void handle(String path, OpsHandler handler) {
    route(path, new OpsConnections.Route(handler, false));
  }

  private void route(String path, OpsConnections.Route route) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    if (routes.putIfAbsent(path, route) != null) {
      throw new IllegalArgumentException("path already registered: " + path);
    }
  }

  public InetSocketAddress address() {
    return connections.address();
  }

  /** Writes a plain-text response. */
  public static void text(OpsExchange ex, int status, String body) throws IOException {
    ex.respond(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Stops accepting and closes the listening socket at once; answers already asked for get up to
   * {@link OpsConnections#CLOSE_GRACE_NANOS} to be computed and written out, then every connection
   * still open is closed. Returns by then (at most a second later).
   */
  @Override
  public void close() {
    connections.close();
  }

  private OpsConnections.Route find(String path) {
    String best = null;
    for (String registered : routes.keySet()) {
      boolean matches =
          path.startsWith(registered)
              && (path.length() == registered.length()
                  || registered.endsWith("/")
                  || path.charAt(registered.length()) == '/');
      if (matches && (best == null || registered.length() > best.length())) {
        best = registered;
      }
    }
    return best == null ? null : routes.get(best);
  }
}
