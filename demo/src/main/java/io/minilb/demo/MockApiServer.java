package io.minilb.demo;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
  private final java.util.Set<WebSocket> watches =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

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

  /**
   * Ends every open watch the way a real API server does when a client's resourceVersion is too
   * old: an ERROR event carrying a 410 Gone Status, then the close. Clients must relist.
   */
  public void expireWatches() {
    String gone =
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
            + "\"Failure\",\"reason\":\"Expired\",\"code\":410,\"message\":\"too old resource version\"}}";
    for (WebSocket ws : watches) {
      ws.send(gone);
      ws.close(1000, "expired");
    }
    watches.clear();
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

  /** A watch's listener that remembers its socket, so a test can expire it. */
  private final class Tracked extends WebSocketListener {
    private final WebSocketListener inner;

    Tracked(WebSocketListener inner) {
      this.inner = inner;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response r) {
      inner.onBeforeAccept(ws, r);
    }

    @Override
    public void onOpen(WebSocket ws, Response r) {
      watches.add(ws);
      inner.onOpen(ws, r);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      inner.onMessage(ws, text);
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
      inner.onMessage(ws, bytes);
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      inner.onMessage(ws, bytes);
    }

    @Override
    public void onPing(WebSocket ws, byte[] data) {
      inner.onPing(ws, data);
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      watches.remove(ws);
      inner.onClosing(ws, code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      watches.remove(ws);
      inner.onClosed(ws, code, reason);
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response r) {
      watches.remove(ws);
      inner.onFailure(ws, t, r);
    }
  }

  /**
   * fabric8's CRUD dispatcher made to treat status as a real API server does: a status subresource
   * for built-in kinds too (the mock only knows it for CRDs it was told about), RFC 7386 merge
   * patches, and strategic merge patches served as merge patches (exact for the maps kubectl sends
   * for status; lists are replaced rather than merged by key). Server-side apply stays unsupported
   * (415).
   */
  private final class Dispatcher extends KubernetesCrudDispatcher {

    private final ObjectStore store = ObjectStore.install(this);
    // The mock locks its own writes; this also keeps reads of the store's index (handleGet below)
    // from seeing an update between its remove and its put.
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
      return ObjectStore.names(query) ? store.find(query) : super.findResource(query);
    }

    @Override
    public MockResponse handleGet(String path) {
      if (!path.contains("watch=true")) {
        AttributeSet query = attributeExtractor.fromPath(path);
        if (ObjectStore.names(query)) {
          var found = store.find(query);
          return found == null
              ? new MockResponse().setResponseCode(404)
              : new MockResponse().setResponseCode(200).setBody(found.getValue());
        }
      }
      return super.handleGet(path);
    }

    @Override
    public boolean isStatusSubresourceEnabledForResource(String path) {
      return StatusSubresource.declared(path) || super.isStatusSubresourceEnabledForResource(path);
    }

    @Override
    public tools.jackson.databind.JsonNode merge(tools.jackson.databind.JsonNode base, String patch)
        throws io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException {
      return StatusSubresource.mergePatch(base, asNode(patch));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      if (type != null && type.startsWith("application/strategic-merge-patch+json")) {
        var headers =
            request.getHeaders().newBuilder().set("Content-Type", "application/merge-patch+json");
        request =
            new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                headers.build(),
                request.getBody());
      }
      return super.handlePatch(request);
    }

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
        if (!"GET".equals(request.getMethod()) && path.contains("?")) {
          // The mock's handlers test path.endsWith("/status"): kubectl's ?fieldManager=... hid
          // every status write as a main-resource write.
          request =
              new RecordedRequest(
                  request.getHttpVersion(),
                  request.method(),
                  bare,
                  request.getHeaders(),
                  request.getBody());
        }
        ListPage page;
        try {
          page = "GET".equals(request.getMethod()) ? ListPage.of(path) : null;
        } catch (ListPage.BadContinue e) {
          return status(400, "BadRequest", e.getMessage());
        }
        if (page != null
            && !path.contains("watch=true")
            && !Tables.wanted(request.getHeader("Accept"))) {
          // kubectl's tables stay whole lists: Tables does not carry a continue token.
          MockResponse paged = listPage(page);
          if (paged != null) {
            return paged;
          }
        }
        MockResponse response = dispatchLocked(request);
        if (response.getWebSocketListener() != null) {
          response.withWebSocketUpgrade(new Tracked(response.getWebSocketListener()));
        }
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
        return status(500, "InternalError", String.valueOf(e.getMessage()));
      }
    }

    /** One page of a list, or null when {@code page} names one object (not a list). */
    private MockResponse listPage(ListPage page) {
      AttributeSet query = attributeExtractor.fromPath(page.path());
      if (query.containsKey("name")) {
        return null;
      }
      lock.readLock().lock();
      try {
        String version = Long.toString(requestResourceVersion());
        return json(200, page.render(store.matching(query), version));
      } finally {
        lock.readLock().unlock();
      }
    }

    private MockResponse dispatchLocked(RecordedRequest request) {
      Lock held = "GET".equals(request.getMethod()) ? lock.readLock() : lock.writeLock();
      held.lock();
      try {
        return super.dispatch(request);
      } finally {
        held.unlock();
      }
    }

    /** A {@code Status} failure as kube-apiserver writes it, every string escaped. */
    private MockResponse status(int code, String reason, String message) {
      var status = new java.util.LinkedHashMap<String, Object>();
      status.put("kind", "Status");
      status.put("apiVersion", "v1");
      status.put("metadata", Map.of());
      status.put("status", "Failure");
      status.put("message", message);
      status.put("reason", reason);
      status.put("code", code);
      return json(code, JSON.writeValueAsString(status));
    }

    private MockResponse json(int code, String body) {
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }
  }
}
