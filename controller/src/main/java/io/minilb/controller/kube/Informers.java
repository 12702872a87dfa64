package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches Services, EndpointSlices (all namespaces) and Nodes and feeds {@link ClusterViews}.
 * Objects are converted to views here; one that fails conversion is dropped with one WARN and the
 * rest keep flowing.
 */
public final class Informers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Informers.class);

  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  public Informers(KubernetesClient client, ClusterViews views) {
    informers.add(
        client
            .services()
            .inAnyNamespace()
            .inform(handler(Views::of, views::putService, views::removeService), 0));
    informers.add(
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inAnyNamespace()
            .inform(handler(Views::of, views::putSlice, views::removeSlice), 0));
    informers.add(client.nodes().inform(handler(Views::of, views::putNode, views::removeNode), 0));
  }

  /** Whether every informer has completed its initial list. */
  public boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
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
