package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API kinds the controller reads and writes, and the client serialization that knows only
 * those. fabric8's default serialization instantiates every model class on the class path when the
 * first client is built (to map any {@code apiVersion}/{@code kind} to its class), about 1,800
 * classes of which the controller uses a few dozen; their metadata stayed in the controller for its
 * whole life. Anything else read without a declared type (a watch event's object, a list item)
 * becomes a {@code GenericKubernetesResource}, which fabric8 converts to the informer's type.
 */
public final class ApiTypes {

  /** Kinds that arrive without a declared type: the watched kinds, and Status in watch errors. */
  static final List<Class<? extends KubernetesResource>> KINDS =
      List.of(
          Service.class,
          EndpointSlice.class,
          Ingress.class,
          Node.class,
          Lease.class,
          Event.class,
          Status.class);

  private ApiTypes() {}

  /** A serialization for a controller's client, as fabric8's default but for {@link #KINDS}. */
  public static KubernetesSerialization serialization() {
    var mapper =
        JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build();
    var serialization = new KubernetesSerialization(mapper, false);
    KINDS.forEach(serialization::registerKubernetesResource);
    return serialization;
  }
}
