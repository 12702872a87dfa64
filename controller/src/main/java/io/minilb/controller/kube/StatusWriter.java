package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minilb.controller.status.DesiredStatus;
import io.minilb.controller.status.StatusListener;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code status.loadBalancer.ingress} of Services, leader only. The whole list is replaced
 * with a PUT to the status subresource carrying the resourceVersion read just before, so a
 * concurrent writer causes a 409 and a fresh read-modify-write (with backoff), never a lost update
 * or an appended duplicate. Writes run on their own thread so a slow API server never delays DNS.
 */
public final class StatusWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final StatusListener listener;
  private final ExecutorService executor;
  private final Map<ObjectKey, DesiredStatus> queued = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;

  public StatusWriter(KubernetesClient client, StatusListener listener) {
    this.client = client;
    this.listener = listener;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "status-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Brings one Service's status to {@code desired} unless it already is, or a write of exactly that
   * is already queued.
   */
  public void ensure(ServiceView view, DesiredStatus desired) {
    if (DesiredStatus.of(view).equals(desired)) {
      queued.remove(view.key(), desired);
      return;
    }
    if (desired.equals(queued.put(view.key(), desired))) {
      return;
    }
    executor.execute(() -> write(view.key(), desired));
  }

  private void write(ObjectKey key, DesiredStatus desired) {
    try {
      for (int attempt = 1; enabled && attempt <= ATTEMPTS; attempt++) {
        if (!desired.equals(queued.get(key))) {
          return; // superseded
        }
        Service live = client.services().inNamespace(key.namespace()).withName(key.name()).get();
        if (live == null) {
          return;
        }
        if (desired.equals(current(live))) {
          return;
        }
        live.setStatus(withIngress(live.getStatus(), desired));
        try {
          client.services().resource(live).updateStatus();
          log.info("set {} status.loadBalancer.ingress to {}", key, render(desired));
          listener.written(key, desired);
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          TimeUnit.MILLISECONDS.sleep(50L << attempt);
        }
      }
      log.warn("gave up writing {} status after {} conflicts", key, ATTEMPTS);
      listener.failed(key, "conflict");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("writing {} status failed: {}", key, e.getMessage());
      listener.failed(key, e.getMessage());
    } finally {
      queued.remove(key, desired);
    }
  }

  private static DesiredStatus current(Service s) {
    return DesiredStatus.of(Views.of(s));
  }

  private static ServiceStatus withIngress(ServiceStatus status, DesiredStatus desired) {
    var ingress = new ArrayList<LoadBalancerIngress>();
    desired
        .hostnames()
        .forEach(h -> ingress.add(new LoadBalancerIngressBuilder().withHostname(h).build()));
    desired.ips().forEach(ip -> ingress.add(new LoadBalancerIngressBuilder().withIp(ip).build()));
    ServiceStatus s = status == null ? new ServiceStatus() : status;
    LoadBalancerStatus lb =
        s.getLoadBalancer() == null ? new LoadBalancerStatus() : s.getLoadBalancer();
    lb.setIngress(ingress);
    s.setLoadBalancer(lb);
    return s;
  }

  private static String render(DesiredStatus d) {
    var all = new ArrayList<String>(d.hostnames());
    all.addAll(d.ips());
    return all.isEmpty() ? "[]" : all.toString();
  }

  /** Stops writing at once (leadership lost or shutting down); queued writes are dropped. */
  @Override
  public void close() {
    enabled = false;
    executor.shutdownNow();
  }
}
