package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.controller.Controller;
import io.minilb.controller.ControllerConfig;
import io.minilb.controller.Leadership;
import io.minilb.resolver.Resolver;
import io.minilb.resolver.ResolverConfig;
import io.minilb.tls.StreamTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record stream over TLS and mutual TLS, with certificates made in the test. */
class TlsIT {

  private static final Duration NEVER = Duration.ofSeconds(3);
  @TempDir Path dir;
  private final MockApiServer api = new MockApiServer().start(Pipeline.LOOPBACK, 0);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TestCerts.Issued ca;
  private TestCerts.PemFiles server;
  private Path caFile;

  @BeforeEach
  void certs() throws Exception {
    ca = TestCerts.ca("minilb-test-ca");
    caFile = dir.resolve("ca.pem");
    TestCerts.pem(caFile, ca.cert());
    server = TestCerts.leaf(ca, "minilb-controller").write(dir, "server");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : com.google.common.collect.Lists.reverse(closeables)) {
      c.close();
    }
    scheduler.shutdownNow();
    api.close();
  }

  @Test
  void mutualTls_aClientWithACertificateFromTheCa_isAccepted() throws Exception {
    int port =
        controller(new StreamTls(server.cert(), server.key(), caFile, StreamTls.DEFAULT_RELOAD));
    var client = TestCerts.leaf(ca, "resolver-1").write(dir, "client");

    Resolver store =
        resolver(
            port, new StreamTls(client.cert(), client.key(), caFile, StreamTls.DEFAULT_RELOAD));

    await().atMost(Duration.ofSeconds(15)).until(() -> store.version().isPresent());
  }

  @Test
  void mutualTls_rejectsNoCertificate_aWrongCa_andAnExpiredCertificate() throws Exception {
    int port =
        controller(new StreamTls(server.cert(), server.key(), caFile, StreamTls.DEFAULT_RELOAD));
    var stranger = TestCerts.leaf(TestCerts.ca("other-ca"), "intruder").write(dir, "stranger");
    var expired =
        TestCerts.leaf(
                ca,
                "old",
                Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)))
            .write(dir, "expired");

    Resolver noCert = resolver(port, new StreamTls(null, null, caFile, StreamTls.DEFAULT_RELOAD));
    Resolver wrongCa =
        resolver(
            port, new StreamTls(stranger.cert(), stranger.key(), caFile, StreamTls.DEFAULT_RELOAD));
    Resolver old =
        resolver(
            port, new StreamTls(expired.cert(), expired.key(), caFile, StreamTls.DEFAULT_RELOAD));
    Resolver plaintext = resolver(port, new StreamTls(null, null, null, StreamTls.DEFAULT_RELOAD));

    await()
        .during(NEVER)
        .atMost(NEVER.plusSeconds(5))
        .until(
            () ->
                noCert.version().isEmpty()
                    && wrongCa.version().isEmpty()
                    && old.version().isEmpty()
                    && plaintext.version().isEmpty());
  }

  @Test
  void aResolverConfiguredForTls_refusesAPlaintextController() throws Exception {
    int port = controller(new StreamTls(null, null, null, StreamTls.DEFAULT_RELOAD));

    Resolver store = resolver(port, new StreamTls(null, null, caFile, StreamTls.DEFAULT_RELOAD));
    Resolver control = resolver(port, new StreamTls(null, null, null, StreamTls.DEFAULT_RELOAD));

    await().atMost(Duration.ofSeconds(15)).until(() -> control.version().isPresent());
    assertThat(store.version()).isEmpty();
  }

  @Test
  void rotatedServerCertificates_areReloadedWithoutARestart() throws Exception {
    Path cert = dir.resolve("live.pem");
    Path key = dir.resolve("live-key.pem");
    Files.copy(server.cert(), cert);
    Files.copy(server.key(), key);
    int port = controller(new StreamTls(cert, key, null, Duration.ofMillis(300)));
    var newCa = TestCerts.ca("rotated-ca");
    Path newCaFile = dir.resolve("new-ca.pem");
    TestCerts.pem(newCaFile, newCa.cert());
    var rotated = TestCerts.leaf(newCa, "minilb-controller").write(dir, "rotated");

    Files.move(
        rotated.key(), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        rotated.cert(), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    var later = java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(2));
    Files.setLastModifiedTime(key, later); // a rotation tool touches both once both are in place
    Files.setLastModifiedTime(cert, later);
    Resolver trustsNewCa =
        resolver(port, new StreamTls(null, null, newCaFile, StreamTls.DEFAULT_RELOAD));

    await().atMost(Duration.ofSeconds(20)).until(() -> trustsNewCa.version().isPresent());
  }

  private int controller(StreamTls tls) throws Exception {
    var config =
        ControllerConfig.builder()
            .ephemeralPorts(Pipeline.LOOPBACK)
            .identity("tls-test")
            .timing(
                new Leadership.Timing(
                    Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)))
            .tls(tls)
            .onLostLeadership(() -> {})
            .build();
    var client = api.client();
    Controller c = new Controller(client, config).start();
    closeables.add(client);
    closeables.add(c);
    await().atMost(Duration.ofSeconds(15)).until(c::leading);
    return c.grpcAddress().getPort();
  }

  private Resolver resolver(int port, StreamTls tls) throws Exception {
    var r =
        Resolver.start(
            ResolverConfig.builder(List.of("localhost:" + port))
                .nodeName("tls-resolver")
                .tls(tls, null)
                .build());
    closeables.add(r);
    return r;
  }
}
