package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.minilb.controller.view.ObjectKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches Services, EndpointSlices and Ingresses (all namespaces) and Nodes, and — when their CRDs
 * are installed — the Gateway API's Gateways and HTTP/GRPC/TLS routes, read as generic resources.
 * Objects become views here; one that fails conversion is dropped with one WARN and the rest keep
 * flowing. The informers keep no objects, only keys and resourceVersions ({@link VersionStore}):
 * the views are the one copy of what minilb reads. The Gateway API may appear at any time: {@link
 * #discoverGatewayApi()} (called periodically) starts the informers for whatever kinds the API
 * server now serves.
 */
public final class Informers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Informers.class);
  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  /**
   * Objects per list page: a relist of 10k objects then never holds the whole list in memory at
   * once.
   */
  static final long LIST_PAGE = 500;

  /** A Gateway API kind and the versions to try, newest first. */
  private record GatewayKind(String kind, String plural, List<String> versions) {}

  private static final List<GatewayKind> GATEWAY_KINDS =
      List.of(
          new GatewayKind("Gateway", "gateways", List.of("v1", "v1beta1")),
          new GatewayKind("HTTPRoute", "httproutes", List.of("v1", "v1beta1")),
          new GatewayKind("GRPCRoute", "grpcroutes", List.of("v1", "v1alpha2")),
          new GatewayKind("TLSRoute", "tlsroutes", List.of("v1", "v1alpha3", "v1alpha2")));

  private final KubernetesClient client;
  private final ClusterViews views;
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private final Set<String> gatewayKindsWatched = ConcurrentHashMap.newKeySet();

  public Informers(KubernetesClient client, ClusterViews views) {
    this.client = client;
    this.views = views;
    informers.add(
        watch(
            client.services().inAnyNamespace(),
            Service::new,
            handler(Views::of, views::putService, views::removeService)));
    informers.add(
        watch(
            client.discovery().v1().endpointSlices().inAnyNamespace(),
            EndpointSlice::new,
            handler(Views::of, views::putSlice, views::removeSlice)));
    informers.add(
        watch(
            client.network().v1().ingresses().inAnyNamespace(),
            Ingress::new,
            handler(Views::of, views::putIngress, views::removeIngress)));
    informers.add(
        watch(client.nodes(), Node::new, handler(Views::of, views::putNode, views::removeNode)));
    discoverGatewayApi();
  }

  /** Whether every informer has completed its initial list. */
  public boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** What the informers themselves hold of the watched objects: skeletons with key and version. */
  List<HasMetadata> cached() {
    return informers.stream()
        .flatMap(i -> i.getStore().list().stream())
        .map(HasMetadata.class::cast)
        .toList();
  }

  /**
   * Starts informers for Gateway API kinds that are served now and not yet watched. Costs one
   * request when the group is not installed (it runs every 30 s), and one more per served version
   * otherwise.
   */
  public synchronized void discoverGatewayApi() {
    if (gatewayKindsWatched.size() == GATEWAY_KINDS.size()) {
      return;
    }
    Set<String> served = servedGatewayVersions();
    Map<String, APIResourceList> resources = new HashMap<>();
    for (GatewayKind k : GATEWAY_KINDS) {
      if (gatewayKindsWatched.contains(k.kind())) {
        continue;
      }
      String version = servedVersion(k, served, resources);
      if (version == null) {
        continue;
      }
      var ctx =
          new ResourceDefinitionContext.Builder()
              .withGroup(GATEWAY_GROUP)
              .withVersion(version)
              .withPlural(k.plural())
              .withKind(k.kind())
              .withNamespaced(true)
              .build();
      ResourceEventHandler<GenericKubernetesResource> h =
          k.kind().equals("Gateway")
              ? handler(Views::gateway, views::putGateway, views::removeGateway)
              : handler(
                  Views::route,
                  views::putRoute,
                  key ->
                      views.removeRoute(
                          new ObjectKey(key.namespace(), k.kind() + "/" + key.name())));
      try {
        informers.add(
            watch(
                client.genericKubernetesResources(ctx).inAnyNamespace(),
                GenericKubernetesResource::new,
                h));
        gatewayKindsWatched.add(k.kind());
        log.info("watching {}/{} {}", GATEWAY_GROUP, version, k.plural());
      } catch (RuntimeException e) {
        log.warn("cannot watch {}/{} {}: {}", GATEWAY_GROUP, version, k.plural(), e.getMessage());
      }
    }
  }

  /** The versions of the Gateway API group the API server serves; none when not installed. */
  private Set<String> servedGatewayVersions() {
    try {
      APIGroup group = client.getApiGroup(GATEWAY_GROUP);
      if (group == null || group.getVersions() == null) {
        return Set.of();
      }
      return group.getVersions().stream()
          .map(GroupVersionForDiscovery::getVersion)
          .collect(Collectors.toSet());
    } catch (RuntimeException notServed) {
      return Set.of();
    }
  }

  private String servedVersion(
      GatewayKind k, Set<String> served, Map<String, APIResourceList> resources) {
    for (String v : k.versions()) {
      if (!served.contains(v)) {
        continue;
      }
      try {
        APIResourceList list =
            resources.computeIfAbsent(v, x -> client.getApiResources(GATEWAY_GROUP + "/" + x));
        if (list != null
            && list.getResources().stream().anyMatch(r -> r.getName().equals(k.plural()))) {
          return v;
        }
      } catch (RuntimeException notServed) {
        // the version went away between the two requests
      }
    }
    return null;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  /**
   * Lists (in pages) and watches {@code source}, keeping no objects: the handler turns each into a
   * view and the informer remembers only keys and resourceVersions. Returns once the first list is
   * handled; throws when it fails.
   */
  private static <T extends HasMetadata> SharedIndexInformer<T> watch(
      Informable<T> source, Supplier<T> skeleton, ResourceEventHandler<T> handler) {
    SharedIndexInformer<T> informer = source.withLimit(LIST_PAGE).runnableInformer(0);
    informer.itemStore(new VersionStore<>(skeleton));
    informer.removeNamespaceIndex();
    informer.addEventHandler(handler);
    informer.run();
    return informer;
  }

  private static <T extends HasMetadata, V> ResourceEventHandler<T> handler(
      Function<T, V> view, Consumer<V> put, Consumer<ObjectKey> remove) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        upsert(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        upsert(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        remove.accept(key(obj));
      }

      private void upsert(T obj) {
        V v;
        try {
          v = view.apply(obj);
        } catch (RuntimeException e) {
          log.warn("ignoring {} {}: {}", obj.getKind(), key(obj), e.toString());
          return;
        }
        if (v == null) {
          remove.accept(key(obj));
        } else {
          put.accept(v);
        }
      }
    };
  }

  private static ObjectKey key(HasMetadata obj) {
    String ns = obj.getMetadata().getNamespace();
    return new ObjectKey(ns == null ? "" : ns, obj.getMetadata().getName());
  }
}
