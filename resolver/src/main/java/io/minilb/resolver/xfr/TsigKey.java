package io.minilb.resolver.xfr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945) shared with the secondaries: its name, HMAC algorithm and secret.
 * Immutable; the secret never appears in {@link #toString()}.
 *
 * @param name the key's name, as the secondary names it (e.g. {@code minilb-xfr.})
 * @param algorithm one of {@code hmac-sha256}, {@code hmac-sha384}, {@code hmac-sha512}, {@code
 *     hmac-sha224}, {@code hmac-sha1}
 * @param secret the shared secret, base64
 */
public record TsigKey(String name, String algorithm, String secret) {

  private static final Set<String> ALGORITHMS =
      Set.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");

  /** A BIND or Knot key file: the value after {@code secret}, quoted or not. */
  private static final Pattern SECRET_LINE =
      Pattern.compile("secret\\s*:?\\s*\"?([A-Za-z0-9+/=]+)\"?");

  public TsigKey {
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "--tsig-key: algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
    }
    try {
      Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("--tsig-key: '" + name + "' is not a key name", e);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(secret);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tsig-key: the secret is not base64", e);
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException("--tsig-key: the secret is empty");
    }
  }

  /**
   * Parses {@code name:algorithm:secret-file}. The file holds the base64 secret alone, or is a key
   * file of {@code tsig-keygen} (BIND) or {@code keymgr} (Knot), whose {@code secret} is used.
   */
  public static TsigKey parse(String spec) {
    String[] parts = spec.split(":", 3);
    if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
      throw new IllegalArgumentException(
          "--tsig-key: '" + spec + "' is not name:algorithm:secret-file");
    }
    Path file = Path.of(parts[2]);
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("--tsig-key: cannot read " + file + ": " + e, e);
    }
    Matcher m = SECRET_LINE.matcher(text);
    String secret = m.find() ? m.group(1) : text.strip();
    return new TsigKey(parts[0], parts[1], secret);
  }

  /** The dnsjava key that signs and verifies with this secret. */
  public TSIG tsig() {
    try {
      return new TSIG(TSIG.algorithmToName(algorithm), Name.fromString(name, Name.root), secret);
    } catch (TextParseException e) {
      throw new IllegalStateException(e); // checked in the constructor
    }
  }

  @Override
  public String toString() {
    return "TsigKey[" + name + ", " + algorithm + "]";
  }
}
