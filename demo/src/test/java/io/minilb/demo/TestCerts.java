package io.minilb.demo;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test: a CA, and leaf certificates it signs, written as PEM files. */
final class TestCerts {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A key pair and its certificate. */
  record Issued(KeyPair keys, X509Certificate cert) {

    /** Writes {@code <name>.pem} and {@code <name>-key.pem} under {@code dir}. */
    PemFiles write(Path dir, String name) throws IOException {
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + "-key.pem");
      pem(cert, this.cert);
      pem(key, new JcaPKCS8Generator(keys.getPrivate(), null)); // PKCS#8, as gRPC reads keys
      return new PemFiles(cert, key);
    }
  }

  /** Where an issued certificate was written. */
  record PemFiles(Path cert, Path key) {}

  private TestCerts() {}

  static Issued ca(String name) throws Exception {
    KeyPair kp = keys();
    var subject = new X500Name("CN=" + name);
    var b =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(Instant.now().minus(Duration.ofHours(1))),
            Date.from(Instant.now().plus(Duration.ofDays(1))),
            subject,
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(kp, sign(b, kp));
  }

  static Issued leaf(Issued ca, String cn, Instant notBefore, Instant notAfter) throws Exception {
    KeyPair kp = keys();
    var b =
        new JcaX509v3CertificateBuilder(
            ca.cert(),
            serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + cn),
            kp.getPublic());
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    return new Issued(kp, sign(b, ca.keys()));
  }

  static Issued leaf(Issued ca, String cn) throws Exception {
    return leaf(
        ca, cn, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
  }

  static void pem(Path file, Object o) throws IOException {
    try (Writer w = java.nio.file.Files.newBufferedWriter(file);
        var pem = new JcaPEMWriter(w)) {
      pem.writeObject(o);
    }
  }

  private static KeyPair keys() throws Exception {
    var g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer)
      throws Exception {
    var signerKey = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signerKey));
  }
}
