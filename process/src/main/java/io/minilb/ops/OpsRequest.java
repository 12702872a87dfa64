package io.minilb.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A checked request head: GET or HEAD, an origin-form target, HTTP/1.0 or 1.1, no body. {@link
 * #parse} is a pure function of the head's bytes; anything else is a {@link Rejected} carrying the
 * status to answer with.
 */
record OpsRequest(String method, String path, String query) {

  /** Why a head was refused, as the status (and headers) to answer with before closing. */
  static final class Rejected extends Exception {
    final int status;
    final String extraHeaders;

    Rejected(int status, String message) {
      this(status, message, "");
    }

    Rejected(int status, String message, String extraHeaders) {
      super(message, null, false, false);
      this.status = status;
      this.extraHeaders = extraHeaders;
    }
  }

  /**
   * Parses {@code head[0..length)}: the request line and header lines, each ended by LF or CRLF,
   * without the empty line that ends the head.
   */
  static OpsRequest parse(byte[] head, int length) throws Rejected {
    for (int i = 0; i < length; i++) {
      int b = head[i];
      if (b < 0 || (b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7f) {
        throw new Rejected(400, "not printable ASCII");
      }
    }
    String[] lines = new String(head, 0, length, StandardCharsets.US_ASCII).split("\r?\n", -1);
    String[] start = lines[0].split(" ", -1);
    if (start.length != 3 || !isToken(start[0])) {
      throw new Rejected(400, "bad request line");
    }
    if (!start[2].equals("HTTP/1.1") && !start[2].equals("HTTP/1.0")) {
      throw new Rejected(start[2].matches("HTTP/[0-9]\\.[0-9]") ? 505 : 400, "unsupported version");
    }
    String method = start[0];
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new Rejected(405, "method not allowed", "Allow: GET, HEAD\r\n");
    }
    String contentLength = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw new Rejected(400, "bad header line");
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      if (name.equalsIgnoreCase("Transfer-Encoding")) {
        throw new Rejected(411, "a request body is not accepted");
      }
      if (name.equalsIgnoreCase("Content-Length")) {
        if (contentLength != null && !contentLength.equals(value) || !value.matches("[0-9]+")) {
          throw new Rejected(400, "bad Content-Length");
        }
        contentLength = value;
      }
    }
    if (contentLength != null && !contentLength.matches("0+")) {
      throw new Rejected(413, "a request body is not accepted");
    }
    String target = start[1];
    if (!target.startsWith("/")) {
      throw new Rejected(400, "not an origin-form target");
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw new Rejected(400, "bad target");
    }
    if (uri.getPath() == null || uri.getRawAuthority() != null) {
      throw new Rejected(400, "bad target");
    }
    return new OpsRequest(method, uri.getPath(), uri.getQuery());
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
