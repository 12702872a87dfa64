package io.minilb.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.minilb.controller.kube.CrudApiServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election through fabric8 against the CRUD mock API server: who leads, how a leader renews
 * (requests counted at the server), and how leadership moves on a crash, a graceful stop and a
 * conflicting writer.
 */
class LeadershipIT {

  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration RETRY = Duration.ofMillis(300);
  private static final String LEASE_PATH =
      "/apis/coordination.k8s.io/v1/namespaces/minilb/leases/minilb-controller";

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final KubernetesMockServer server =
      CrudApiServer.create(
          new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              requests.add(request.getMethod() + " " + request.getPath());
              return super.dispatch(request);
            }
          });
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<Candidate> candidates = new ArrayList<>();

  /** One process campaigning: its callbacks, counted. */
  private final class Candidate {
    final KubernetesClient client = server.createClient();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger stopped = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    final Leadership leadership;

    Candidate(String identity) {
      clients.add(client);
      var config =
          ControllerConfig.builder()
              .identity(identity)
              .timing(new Leadership.Timing(LEASE, Duration.ofSeconds(2), RETRY))
              .onLostLeadership(lost::incrementAndGet)
              .build();
      leadership =
          new Leadership(client, config, started::incrementAndGet, stopped::incrementAndGet);
      candidates.add(this);
    }

    boolean leads() {
      return started.get() > stopped.get();
    }
  }

  @BeforeEach
  void start() {
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    candidates.forEach(c -> c.leadership.close());
    clients.forEach(KubernetesClient::close);
    server.destroy();
  }

  @Test
  void ofTwoCandidates_exactlyOneLeads() {
    var a = new Candidate("a");
    var b = new Candidate("b");

    await().atMost(Duration.ofSeconds(10)).until(() -> a.leads() || b.leads());
    await()
        .during(LEASE.multipliedBy(2))
        .atMost(LEASE.multipliedBy(4))
        .until(() -> a.leads() != b.leads());
    assertThat(holder()).isEqualTo(a.leads() ? "a" : "b");
  }

  @Test
  void aLeader_renewsWithOneRequestPerRetryPeriod() {
    var a = new Candidate("a");
    await().atMost(Duration.ofSeconds(10)).until(a::leads);
    requests.clear();

    await().atMost(Duration.ofSeconds(10)).until(() -> leaseRequests().size() >= 6);

    assertThat(leaseRequests()).allMatch(r -> r.startsWith("PUT "));
    assertThat(a.lost).hasValue(0);
  }

  @Test
  void aLeaderThatDiesWithoutReleasing_isFollowedAfterTheLeaseDuration() {
    var a = new Candidate("a");
    await().atMost(Duration.ofSeconds(10)).until(a::leads);
    var b = new Candidate("b");
    await().atMost(Duration.ofSeconds(5)).until(() -> requests.contains("GET " + LEASE_PATH));

    long died = System.nanoTime();
    a.client.close(); // no request gets out any more, the release included
    a.leadership.close();
    await().atMost(LEASE.multipliedBy(3)).until(b::leads);

    // b took over only once the record had stood still for LEASE by its own clock.
    assertThat(Duration.ofNanos(System.nanoTime() - died))
        .isGreaterThan(LEASE.minus(RETRY.multipliedBy(3)));
    assertThat(holder()).isEqualTo("b");
    assertThat(a.lost).hasValue(0);
  }

  @Test
  void aLeaderThatStops_releasesTheLease_andTheFollowerTakesOverAtOnce() {
    var a = new Candidate("a");
    await().atMost(Duration.ofSeconds(10)).until(a::leads);
    var b = new Candidate("b");
    await().atMost(Duration.ofSeconds(5)).until(() -> requests.contains("GET " + LEASE_PATH));

    long stopped = System.nanoTime();
    a.leadership.close();
    assertThat(a.stopped).hasValue(1);
    await().atMost(LEASE.multipliedBy(3)).until(b::leads);

    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(LEASE.minus(RETRY));
    assertThat(a.lost).hasValue(0);
  }

  @Test
  void aLeaderWhoseLeaseIsTakenByAnotherWriter_stopsAndRunsOnLost() {
    var a = new Candidate("a");
    await().atMost(Duration.ofSeconds(10)).until(a::leads);
    var writer = server.createClient();
    clients.add(writer);

    // Its write carries the resourceVersion it read, so it may lose a race with a renewal: retry.
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                writer
                        .resources(Lease.class)
                        .inNamespace("minilb")
                        .withName("minilb-controller")
                        .edit(
                            l -> {
                              l.getSpec().setHolderIdentity("intruder");
                              return l;
                            })
                    != null);

    await().atMost(LEASE.multipliedBy(2)).until(() -> a.lost.get() == 1);
    assertThat(a.leads()).isFalse();
    assertThat(holder()).isEqualTo("intruder");
  }

  @Test
  void aLeaseWithoutASpec_isTakenAsAnEmptyRecord() {
    var writer = server.createClient();
    clients.add(writer);
    writer
        .resources(Lease.class)
        .inNamespace("minilb")
        .resource(
            new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata()
                .withName("minilb-controller")
                .withNamespace("minilb")
                .endMetadata()
                .build())
        .create();

    var a = new Candidate("a");

    await().atMost(LEASE.multipliedBy(3)).until(a::leads);
    assertThat(holder()).isEqualTo("a");
  }

  @Test
  void aLeaderWhoseLeaseIsDeleted_createsItAgain_andGoesOnLeading() {
    var a = new Candidate("a");
    await().atMost(Duration.ofSeconds(10)).until(a::leads);
    var writer = server.createClient();
    clients.add(writer);

    writer.resources(Lease.class).inNamespace("minilb").withName("minilb-controller").delete();

    await().atMost(LEASE.multipliedBy(2)).ignoreExceptions().until(() -> "a".equals(holder()));
    // Past the renew deadline: it kept leading throughout.
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> a.leads());
    assertThat(a.lost.get()).isZero();
    assertThat(a.stopped.get()).isZero();
  }

  private List<String> leaseRequests() {
    return requests.stream().filter(r -> r.endsWith(LEASE_PATH)).toList();
  }

  private String holder() {
    var client = server.createClient();
    clients.add(client);
    return client
        .resources(Lease.class)
        .inNamespace("minilb")
        .withName("minilb-controller")
        .get()
        .getSpec()
        .getHolderIdentity();
  }
}
