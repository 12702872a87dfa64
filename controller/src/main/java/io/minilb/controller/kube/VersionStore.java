package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer item store that keeps only each object's key and resourceVersion: all an informer
 * needs to tell a change from a repeat and to find what a relist no longer holds. The views in
 * {@link ClusterViews} keep everything minilb reads, so an object (with its managed fields,
 * last-applied annotation and the spec and status minilb never reads) is garbage as soon as its
 * event is handled, instead of being cached whole next to its view.
 *
 * <p>What it hands back (the old object of an update, the objects a relist deletes) is a skeleton:
 * an empty object of the watched type with namespace, name and resourceVersion set. Nothing in
 * minilb reads more than the key from those, and nothing reads an informer's store. Thread-safe.
 */
final class VersionStore<T extends HasMetadata> implements ItemStore<T> {

  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Supplier<T> skeleton;

  VersionStore(Supplier<T> skeleton) {
    this.skeleton = skeleton;
  }

  @Override
  public String getKey(T obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public T put(String key, T obj) {
    String version = obj.getMetadata().getResourceVersion();
    return restore(key, versions.put(key, version == null ? "" : version));
  }

  @Override
  public T remove(String key) {
    return restore(key, versions.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return versions.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return versions.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return versions.size();
  }

  @Override
  public T get(String key) {
    return restore(key, versions.get(key));
  }

  /** False: the informer must not wait for the store to list whole objects. */
  @Override
  public boolean isFullState() {
    return false;
  }

  private T restore(String key, String version) {
    if (version == null) {
      return null;
    }
    // the key is name or namespace/name (Cache.metaNamespaceKeyFunc); neither part holds a '/'
    int slash = key.indexOf('/');
    var meta = new ObjectMeta();
    meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
    meta.setName(key.substring(slash + 1));
    meta.setResourceVersion(version.isEmpty() ? null : version);
    T obj = skeleton.get();
    obj.setMetadata(meta);
    return obj;
  }
}
