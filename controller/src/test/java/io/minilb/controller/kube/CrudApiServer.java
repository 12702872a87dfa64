package io.minilb.controller.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * fabric8's CRUD mock API server, which keeps what is written to it, as the controller's ITs run
 * against it. Not started: {@code init(address, 0)} starts it.
 */
public final class CrudApiServer {

  private CrudApiServer() {}

  /** A server answering with a plain CRUD dispatcher. */
  public static KubernetesMockServer create() {
    return create(new KubernetesCrudDispatcher());
  }

  /** A server answering with {@code dispatcher} (a CRUD dispatcher a test changes). */
  public static KubernetesMockServer create(KubernetesCrudDispatcher dispatcher) {
    return new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
  }
}
