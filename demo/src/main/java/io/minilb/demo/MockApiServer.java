package io.minilb.demo;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import tools.jackson.databind.ObjectMapper;

/**
 * An embedded Kubernetes API server: fabric8's CRUD mock plus what kubectl needs from a real one
 * (discovery documents, {@code /version}, Table printing). Plain HTTP on loopback; for demos and
 * tests only.
 */
public final class MockApiServer implements AutoCloseable {

  /** A request the test wants to fail (e.g. to simulate a 410 Gone or an outage). */
  public record Fault(Predicate<RecordedRequest> matches, int status, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  // The mock logs every request at INFO through java.util.logging; keep a reference so the level
  // sticks.
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean gatewayApi = true;

  public MockApiServer() {
    var dispatcher = new Dispatcher();
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
  }

  /** Starts on {@code address} (port 0 picks a free one). */
  public MockApiServer start(InetAddress address, int port) {
    server.init(address, port);
    return this;
  }

  public String url() {
    return "http://"
        + server.getHostName().replace("localhost", "127.0.0.1")
        + ":"
        + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  public NamespacedKubernetesClient client() {
    return server.createClient();
  }

  /** Method and path of every request served so far, e.g. {@code PUT /api/v1/...}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Whether the Gateway API CRDs appear installed (in discovery); on by default. */
  public void setGatewayApi(boolean installed) {
    this.gatewayApi = installed;
  }

  public void clearRequests() {
    requests.clear();
  }

  public void addFault(Fault fault) {
    faults.add(fault);
  }

  public void clearFaults() {
    faults.clear();
  }

  /** Writes a kubeconfig pointing at this server. */
  public Path writeKubeconfig(Path file) throws IOException {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: minilb-demo
          cluster:
            server: %s
        users:
        - name: minilb-demo
          user: {}
        contexts:
        - name: minilb-demo
          context:
            cluster: minilb-demo
            user: minilb-demo
            namespace: default
        current-context: minilb-demo
        """
            .formatted(url());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, yaml);
    return file;
  }

  @Override
  public void close() {
    server.destroy();
  }

  private final class Dispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      requests.add(request.getMethod() + " " + path);
      for (Fault f : faults) {
        if (f.matches().test(request)) {
          return json(f.status(), f.body());
        }
      }
      try {
        if ("GET".equals(request.getMethod())) {
          if (bare.equals("/version")) {
            return json(
                200,
                JSON.writeValueAsString(
                    Map.of(
                        "major",
                        "1",
                        "minor",
                        "32",
                        "gitVersion",
                        "v1.32.0-minilb-demo",
                        "platform",
                        "linux/amd64")));
          }
          Map<String, Object> doc = ApiDiscovery.document(bare, gatewayApi);
          if (doc != null) {
            return json(
                doc.get("code") instanceof Integer c ? c : 200, JSON.writeValueAsString(doc));
          }
          if (bare.startsWith("/openapi")) {
            return json(404, "{}");
          }
        }
        MockResponse response = super.dispatch(request);
        if ("GET".equals(request.getMethod())
            && !path.contains("watch=true")
            && Tables.wanted(request.getHeader("Accept"))
            && response.code() == 200) {
          String table =
              Tables.toTable(
                  new String(
                      response.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8),
                  ApiDiscovery.kindOf(bare));
          if (table != null) {
            return json(200, table);
          }
        }
        return response;
      } catch (RuntimeException e) {
        return json(
            500,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"" + e.getMessage() + "\"}");
      }
    }

    private MockResponse json(int code, String body) {
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }
  }
}
