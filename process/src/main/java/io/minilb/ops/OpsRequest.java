package io.minilb.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A checked request head: GET or HEAD, an origin-form or absolute-form target, HTTP/1.0 or 1.1 (1.1
 * with exactly one Host), no body. {@link #parse} is a pure function of the head's bytes; anything
 * else is a {@link Rejected} carrying the status to answer with.
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
    checkArriving(head, 0, length);
    String[] lines = new String(head, 0, length, StandardCharsets.US_ASCII).split("\r?\n", -1);
    String[] start = requestLine(lines[0]);
    String method = start[0];
    String contentLength = null;
    int hosts = 0;
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
      if (name.equalsIgnoreCase("Host")) {
        hosts++;
      }
    }
    if (contentLength != null && !contentLength.matches("0+")) {
      throw new Rejected(413, "a request body is not accepted");
    }
    if (start[2].equals("HTTP/1.1") && hosts != 1) {
      throw new Rejected(400, "HTTP/1.1 needs exactly one Host header");
    }
    return target(method, start[1]);
  }

  /**
   * Checks {@code head[from..to)} as it arrives, given that {@code head[0..from)} passed before:
   * refuses at once a byte no head may hold (TLS, binary) and a bad request line as soon as its LF
   * is in, instead of waiting for the rest of a head that will never be valid.
   */
  static void checkArriving(byte[] head, int from, int to) throws Rejected {
    // The request line is checked at the first LF only: looking back for an earlier LF at every
    // one made a head of many short lines cost the selector thread quadratic time.
    boolean lineSeen = indexOf(head, '\n', 0, from) >= 0;
    for (int i = from; i < to; i++) {
      int b = head[i];
      if (b < 0 || (b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7f) {
        throw new Rejected(400, "not printable ASCII");
      }
      if (b == '\n' && !lineSeen) {
        lineSeen = true;
        int end = i > 0 && head[i - 1] == '\r' ? i - 1 : i;
        requestLine(new String(head, 0, end, StandardCharsets.US_ASCII));
      }
    }
  }

  /**
   * The length of the run of whole empty lines (CRLF or LF) that {@code head[0..length)} starts
   * with: RFC 9112 §2.2 asks a server to ignore empty lines received before the request line.
   */
  static int leadingEmptyLines(byte[] head, int length) {
    int end = 0;
    for (int i = 0; i < length; i++) {
      if (head[i] == '\n') {
        end = i + 1;
      } else if (head[i] != '\r' || i + 1 < length && head[i + 1] != '\n') {
        break;
      }
    }
    return end;
  }

  /**
   * Whether {@code head[0..length)} holds no LF, so that all of it is (part of) the request line.
   */
  static boolean requestLineOnly(byte[] head, int length) {
    return indexOf(head, '\n', 0, length) < 0;
  }

  /** Whether a head (whole or in part) is a HEAD request, whose answers carry no body. */
  static boolean isHead(byte[] head, int length) {
    return length >= 5 && new String(head, 0, 5, StandardCharsets.US_ASCII).equals("HEAD ");
  }

  private static int indexOf(byte[] buf, int b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String[] requestLine(String line) throws Rejected {
    String[] start = line.split(" ", -1);
    if (start.length != 3 || !isToken(start[0])) {
      throw new Rejected(400, "bad request line");
    }
    if (!start[2].equals("HTTP/1.1") && !start[2].equals("HTTP/1.0")) {
      throw new Rejected(start[2].matches("HTTP/[0-9]\\.[0-9]") ? 505 : 400, "unsupported version");
    }
    if (!start[0].equals("GET") && !start[0].equals("HEAD")) {
      throw new Rejected(405, "method not allowed", "Allow: GET, HEAD\r\n");
    }
    return start;
  }

  /** An origin-form target, or an absolute-form one (RFC 9112 §3.2.2) by its path and query. */
  private static OpsRequest target(String method, String target) throws Rejected {
    String lower = target.toLowerCase(java.util.Locale.ROOT);
    boolean absolute = lower.startsWith("http://") || lower.startsWith("https://");
    if (!target.startsWith("/") && !absolute) {
      throw new Rejected(400, "not an origin-form or absolute-form target");
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw new Rejected(400, "bad target");
    }
    if (uri.getPath() == null || uri.getRawAuthority() != null && !absolute) {
      throw new Rejected(400, "bad target");
    }
    String path = uri.getPath().isEmpty() ? "/" : uri.getPath();
    if (!path.startsWith("/")) {
      throw new Rejected(400, "bad target");
    }
    return new OpsRequest(method, path, uri.getQuery());
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
