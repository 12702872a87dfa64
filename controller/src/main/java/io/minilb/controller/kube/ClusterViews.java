package io.minilb.controller.kube;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest view of every watched object, keyed by namespace/name. Informer threads write; the
 * reconcile thread reads consistent-enough copies. {@code onChange} runs only when a view really
 * changed, so resyncs and invisible churn cost nothing downstream.
 */
public final class ClusterViews {

  private final Map<ObjectKey, ServiceView> services = new ConcurrentHashMap<>();
  private final Map<ObjectKey, SliceView> slices = new ConcurrentHashMap<>();
  private final Map<ObjectKey, NodeView> nodes = new ConcurrentHashMap<>();
  private final Runnable onChange;

  public ClusterViews(Runnable onChange) {
    this.onChange = onChange;
  }

  public void putService(ServiceView v) {
    changedIf(!Objects.equals(services.put(v.key(), v), v));
  }

  public void removeService(ObjectKey key) {
    changedIf(services.remove(key) != null);
  }

  public void putSlice(SliceView v) {
    changedIf(!Objects.equals(slices.put(v.key(), v), v));
  }

  public void removeSlice(ObjectKey key) {
    changedIf(slices.remove(key) != null);
  }

  public void putNode(NodeView v) {
    changedIf(!Objects.equals(nodes.put(v.key(), v), v));
  }

  public void removeNode(ObjectKey key) {
    changedIf(nodes.remove(key) != null);
  }

  public List<NodeView> nodes() {
    return List.copyOf(nodes.values());
  }

  public List<ServiceView> services() {
    return List.copyOf(services.values());
  }

  public List<SliceView> slices() {
    return List.copyOf(slices.values());
  }

  public ServiceView service(ObjectKey key) {
    return services.get(key);
  }

  private void changedIf(boolean changed) {
    if (changed) {
      onChange.run();
    }
  }
}
