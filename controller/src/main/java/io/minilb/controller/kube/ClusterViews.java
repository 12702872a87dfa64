package io.minilb.controller.kube;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.GatewayView;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.RouteView;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
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
  private final Map<ObjectKey, IngressView> ingresses = new ConcurrentHashMap<>();
  private final Map<ObjectKey, GatewayView> gateways = new ConcurrentHashMap<>();
  private final Map<ObjectKey, RouteView> routes = new ConcurrentHashMap<>();
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

  public void putIngress(IngressView v) {
    changedIf(!Objects.equals(ingresses.put(v.key(), v), v));
  }

  public void removeIngress(ObjectKey key) {
    changedIf(ingresses.remove(key) != null);
  }

  public void putGateway(GatewayView v) {
    changedIf(!Objects.equals(gateways.put(v.key(), v), v));
  }

  public void removeGateway(ObjectKey key) {
    changedIf(gateways.remove(key) != null);
  }

  public void putRoute(RouteView v) {
    changedIf(!Objects.equals(routes.put(v.key(), v), v));
  }

  /**
   * Removes a route; routes are keyed by kind too, since an HTTPRoute and a TLSRoute may share a
   * name.
   */
  public void removeRoute(ObjectKey key) {
    changedIf(routes.remove(key) != null);
  }

  /** Everything the record builder reads, copied now. */
  public ClusterState state() {
    return new ClusterState(
        List.copyOf(services.values()),
        List.copyOf(slices.values()),
        List.copyOf(ingresses.values()),
        List.copyOf(gateways.values()),
        List.copyOf(routes.values()),
        List.copyOf(nodes.values()));
  }

  private void changedIf(boolean changed) {
    if (changed) {
      onChange.run();
    }
  }
}
