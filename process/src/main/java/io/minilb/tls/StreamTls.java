package io.minilb.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TLS for the record stream from PEM files, re-read every {@code reload} so rotated certificates
 * take effect without a restart (gRPC's AdvancedTls managers). Configured on one end means that end
 * speaks TLS only: plaintext peers fail the handshake.
 *
 * @param cert this end's certificate chain (required on the controller; enables mutual TLS on a
 *     resolver)
 * @param key the private key for {@code cert}
 * @param ca the CA that signs the peer: on a resolver, the controller's issuer (null: the system
 *     trust store); on the controller, the resolvers' issuer, which makes client certificates
 *     mandatory
 */
public record StreamTls(Path cert, Path key, Path ca, Duration reload) {

  public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(30);

  /** Plaintext. */
  public static final StreamTls NONE = new StreamTls(null, null, null, DEFAULT_RELOAD);

  public StreamTls {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("a TLS certificate and its key go together");
    }
  }

  /**
   * Fails with one line naming the first TLS file that cannot be read, so a typo in a path stops
   * start-up instead of surfacing as a handshake error.
   */
  public StreamTls requireReadable() {
    for (Path f : new Path[] {cert, key, ca}) {
      if (f != null && !java.nio.file.Files.isReadable(f)) {
        throw new IllegalArgumentException(
            "cannot read TLS file "
                + f
                + (java.nio.file.Files.exists(f) ? " (permission denied)" : " (no such file)"));
      }
    }
    return this;
  }

  /** Whether any TLS setting was given (then plaintext is refused). */
  public boolean enabled() {
    return cert != null || ca != null;
  }

  /**
   * Server credentials: TLS with our certificate, and client certificates required when a CA is
   * set.
   */
  public ServerCredentials server(ScheduledExecutorService reloader)
      throws IOException, GeneralSecurityException {
    if (!enabled()) {
      return InsecureServerCredentials.create();
    }
    if (cert == null) {
      throw new IllegalArgumentException(
          "the controller needs --tls-cert and --tls-key to serve TLS");
    }
    var b = TlsServerCredentials.newBuilder().keyManager(keyManager(reloader));
    if (ca != null) {
      b.trustManager(
              trustManager(
                  reloader, AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
  }

  /**
   * Channel credentials: verify the controller against the CA (or the system store); present ours
   * if set.
   */
  public ChannelCredentials channel(ScheduledExecutorService reloader)
      throws IOException, GeneralSecurityException {
    if (!enabled()) {
      return InsecureChannelCredentials.create();
    }
    var b = TlsChannelCredentials.newBuilder();
    if (ca != null) {
      b.trustManager(
          trustManager(
              reloader,
              AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION));
    }
    if (cert != null) {
      b.keyManager(keyManager(reloader));
    }
    return b.build();
  }

  private AdvancedTlsX509KeyManager keyManager(ScheduledExecutorService reloader)
      throws IOException, GeneralSecurityException {
    var km = new AdvancedTlsX509KeyManager();
    km.updateIdentityCredentials(cert.toFile(), key.toFile());
    watch(reloader, () -> km.updateIdentityCredentials(cert.toFile(), key.toFile()), cert, key);
    return km;
  }

  private AdvancedTlsX509TrustManager trustManager(
      ScheduledExecutorService reloader, AdvancedTlsX509TrustManager.Verification verification)
      throws IOException, GeneralSecurityException {
    var tm = AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build();
    tm.updateTrustCredentials(ca.toFile());
    watch(reloader, () -> tm.updateTrustCredentials(ca.toFile()), ca);
    return tm;
  }

  /** What a reload does. */
  private interface Load {
    void run() throws IOException, GeneralSecurityException;
  }

  /**
   * Re-reads {@code files} when any of their modification times or sizes changes. A half-written or
   * mismatched pair fails to load and is retried at the next check; the previous credentials stay
   * in use meanwhile.
   */
  private void watch(ScheduledExecutorService reloader, Load load, Path... files) {
    var seen = new java.util.concurrent.atomic.AtomicReference<>(stamps(files));
    reloader.scheduleWithFixedDelay(
        () -> {
          String now = stamps(files);
          if (now.equals(seen.get())) {
            return;
          }
          try {
            load.run();
            seen.set(now);
            LOG.info("reloaded TLS files " + java.util.Arrays.toString(files));
          } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warning(
                "cannot reload TLS files "
                    + java.util.Arrays.toString(files)
                    + ": "
                    + e.getMessage());
          }
        },
        reload.toMillis(),
        reload.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String stamps(Path... files) {
    var sb = new StringBuilder();
    for (Path f : files) {
      sb.append(f.toFile().lastModified()).append('/').append(f.toFile().length()).append(';');
    }
    return sb.toString();
  }

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(StreamTls.class.getName());
}
