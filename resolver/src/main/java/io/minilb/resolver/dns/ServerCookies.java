package io.minilb.resolver.dns;

import io.minilb.resolver.hash.SipHash;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * DNS server cookies (RFC 7873) in the interoperable format of RFC 9018: version 1, three reserved
 * bytes, a 32-bit timestamp and a SipHash-2-4 over client cookie, version, reserved, timestamp and
 * client address, keyed with a 128-bit secret.
 *
 * <p>A cookie is valid when its hash matches one of the held secrets and its timestamp is at most
 * one hour old and at most five minutes ahead (RFC 9018 section 4.3). A valid cookie younger than
 * half an hour made with the current secret is returned as it came; otherwise a fresh one is made.
 *
 * <p>Secrets: {@link #random} draws one per process and replaces it every {@link #ROTATION},
 * accepting the previous one until the next rotation (so a cookie never outlives its secret within
 * its one-hour life). {@link #fromFile} reads fixed secrets shared by every resolver behind one
 * address: the first makes cookies, all are accepted, and the operator rotates by editing the file.
 * Thread-safe; the secrets are swapped as one immutable value.
 */
public final class ServerCookies {

  /** How often a random secret is replaced. */
  public static final Duration ROTATION = Duration.ofHours(24);

  static final int CLIENT_LENGTH = 8;
  static final int SERVER_LENGTH = 16;
  private static final int VERSION = 1;
  private static final long MAX_AGE_SECONDS = 3600;
  private static final long MAX_AHEAD_SECONDS = 300;
  private static final long RENEW_AFTER_SECONDS = 1800;

  /** The COOKIE option data to return and whether the query's server cookie was valid. */
  record Reply(byte[] option, boolean valid) {}

  private record Secrets(long[] keys, long rotateAtMillis) {}

  private final LongSupplier clockMillis;
  private final boolean rotating;
  private final SecureRandom random;
  private volatile Secrets secrets;

  private ServerCookies(LongSupplier clockMillis, long[] keys, boolean rotating) {
    this.clockMillis = clockMillis;
    this.rotating = rotating;
    this.random = rotating ? new SecureRandom() : null;
    this.secrets = new Secrets(keys, rotating ? clockMillis.getAsLong() + ROTATION.toMillis() : 0);
  }

  /** A random secret per process, rotated every {@link #ROTATION}. */
  public static ServerCookies random(LongSupplier clockMillis) {
    var r = new SecureRandom();
    return new ServerCookies(clockMillis, new long[] {r.nextLong(), r.nextLong()}, true);
  }

  /** Fixed secrets, 16 bytes each: the first makes cookies, all are accepted. */
  public static ServerCookies of(List<byte[]> secrets, LongSupplier clockMillis) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one cookie secret is required");
    }
    long[] keys = new long[secrets.size() * 2];
    for (int i = 0; i < secrets.size(); i++) {
      byte[] s = secrets.get(i);
      if (s.length != 16) {
        throw new IllegalArgumentException("a cookie secret is 16 bytes (32 hex digits)");
      }
      keys[2 * i] = SipHash.littleEndian(s, 0, 8);
      keys[2 * i + 1] = SipHash.littleEndian(s, 8, 8);
    }
    return new ServerCookies(clockMillis, keys, false);
  }

  /**
   * Secrets from a file: one per line as 32 hex digits; blank lines and {@code #} comments are
   * skipped. The first secret makes cookies.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no secret
   */
  public static ServerCookies fromFile(Path file, LongSupplier clockMillis) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--cookie-secret-file: cannot read " + file, e);
    }
    var secrets = new ArrayList<byte[]>();
    for (String line : lines) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      if (!s.matches("[0-9a-fA-F]{32}")) {
        throw new IllegalArgumentException(
            "--cookie-secret-file: " + file + ": each secret is 32 hex digits");
      }
      secrets.add(HexFormat.of().parseHex(s));
    }
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("--cookie-secret-file: " + file + " holds no secret");
    }
    return of(secrets, clockMillis);
  }

  /**
   * The reply to a query's COOKIE option (8 to 40 bytes, already checked): the client cookie and a
   * valid server cookie for {@code client} (null: no address, as in unit tests).
   */
  Reply reply(byte[] option, InetAddress client) {
    long nowMillis = clockMillis.getAsLong();
    long[] keys = keys(nowMillis);
    long now = nowMillis / 1000;
    byte[] address = client == null ? new byte[0] : client.getAddress();
    boolean valid = false;
    if (option.length == CLIENT_LENGTH + SERVER_LENGTH && option[CLIENT_LENGTH] == VERSION) {
      long stamp =
          ((option[12] & 0xFFL) << 24)
              | ((option[13] & 0xFFL) << 16)
              | ((option[14] & 0xFFL) << 8)
              | (option[15] & 0xFFL);
      long age = (int) (now - stamp); // serial number arithmetic on 32 bits (RFC 1982)
      if (age <= MAX_AGE_SECONDS && age >= -MAX_AHEAD_SECONDS) {
        for (int k = 0; k < keys.length; k += 2) {
          if (hash(keys[k], keys[k + 1], option, address) == SipHash.littleEndian(option, 16, 8)) {
            valid = true;
            if (k == 0 && age <= RENEW_AFTER_SECONDS) {
              return new Reply(option, true);
            }
            break;
          }
        }
      }
    }
    byte[] out = new byte[CLIENT_LENGTH + SERVER_LENGTH];
    System.arraycopy(option, 0, out, 0, CLIENT_LENGTH);
    out[8] = VERSION;
    out[12] = (byte) (now >>> 24);
    out[13] = (byte) (now >>> 16);
    out[14] = (byte) (now >>> 8);
    out[15] = (byte) now;
    long h = hash(keys[0], keys[1], out, address);
    for (int i = 0; i < 8; i++) {
      out[16 + i] = (byte) (h >>> (8 * i));
    }
    return new Reply(out, valid);
  }

  /**
   * SipHash-2-4 of client cookie, version, reserved, timestamp (the first 16 bytes) and address.
   */
  private static long hash(long k0, long k1, byte[] cookie, byte[] address) {
    byte[] input = new byte[16 + address.length];
    System.arraycopy(cookie, 0, input, 0, 16);
    System.arraycopy(address, 0, input, 16, address.length);
    return SipHash.hash24(k0, k1, input, input.length);
  }

  /** The keys to use now (current first, then previous), rotating a random secret when due. */
  private long[] keys(long nowMillis) {
    Secrets s = secrets;
    if (!rotating || nowMillis < s.rotateAtMillis()) {
      return s.keys();
    }
    synchronized (this) {
      s = secrets;
      if (nowMillis >= s.rotateAtMillis()) {
        long[] next = {random.nextLong(), random.nextLong(), s.keys()[0], s.keys()[1]};
        s = new Secrets(next, nowMillis + ROTATION.toMillis());
        secrets = s;
      }
      return s.keys();
    }
  }
}
