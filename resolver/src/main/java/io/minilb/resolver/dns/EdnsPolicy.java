package io.minilb.resolver.dns;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * This resolver's answers to EDNS options: its NSID (RFC 5001) and its server cookies (RFC 7873).
 * Thread-safe.
 */
public final class EdnsPolicy {

  /** Neither NSID nor cookies: options are ignored. */
  public static final EdnsPolicy NONE = new EdnsPolicy(null, null);

  private final byte[] nsid;
  private final ServerCookies cookies;

  /**
   * @param nsid returned to queries with an NSID option; null: never
   * @param cookies null: COOKIE options are ignored (as by a server without cookie support)
   */
  public EdnsPolicy(String nsid, ServerCookies cookies) {
    this.nsid = nsid == null ? null : nsid.getBytes(StandardCharsets.UTF_8);
    this.cookies = cookies;
  }

  /** What the response to {@code query} (a usable OPT) carries, for a query from {@code client}. */
  EdnsReply reply(EdnsQuery query, InetAddress client) {
    byte[] cookie = null;
    boolean valid = false;
    if (cookies != null && query.cookie() != null) {
      ServerCookies.Reply r = cookies.reply(query.cookie(), client);
      cookie = r.option();
      valid = r.valid();
    }
    return new EdnsReply(query.dnssecOk(), query.nsid() ? nsid : null, cookie, valid);
  }
}
