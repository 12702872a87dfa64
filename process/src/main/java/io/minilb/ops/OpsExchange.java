package io.minilb.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One request on the ops port and its single response. The request is already read and checked (GET
 * or HEAD, no body); the response always carries {@code Content-Length} and {@code Connection:
 * close}, and no body for HEAD. Used by one thread only: a worker's, or the selector's for a probe.
 */
public final class OpsExchange {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private final OpsRequest request;
  private final OutputStream out;
  private boolean responded;

  OpsExchange(OpsRequest request, OutputStream out) {
    this.request = request;
    this.out = out;
  }

  public String method() {
    return request.method();
  }

  /** The decoded path, without the query. */
  public String path() {
    return request.path();
  }

  /** The decoded query string, or null when the target has none. */
  public String query() {
    return request.query();
  }

  /** Sends the response; a second call is an error. */
  public void respond(int status, String contentType, byte[] body) throws IOException {
    if (responded) {
      throw new IllegalStateException("already responded");
    }
    responded = true;
    write(out, status, contentType, body, "HEAD".equals(request.method()), "");
  }

  boolean responded() {
    return responded;
  }

  /** Writes one whole response; {@code extraHeaders} is CRLF-terminated lines or empty. */
  static void write(
      OutputStream out,
      int status,
      String contentType,
      byte[] body,
      boolean headOnly,
      String extraHeaders)
      throws IOException {
    out.write(head(status, contentType, body.length, extraHeaders));
    if (!headOnly) {
      out.write(body);
    }
    out.flush();
  }

  /** A whole short response (a refusal) as bytes, to be written without blocking. */
  static byte[] render(int status, String message, boolean headOnly, String extraHeaders) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] head = head(status, "text/plain; charset=utf-8", body.length, extraHeaders);
    if (headOnly) {
      return head;
    }
    byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private static byte[] head(int status, String contentType, int length, String extraHeaders) {
    String head =
        "HTTP/1.1 "
            + status
            + ' '
            + reason(status)
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + length
            + "\r\nDate: "
            + DATE.format(ZonedDateTime.now(ZoneOffset.UTC))
            + "\r\n"
            + extraHeaders
            + "Connection: close\r\n\r\n";
    return head.getBytes(StandardCharsets.US_ASCII);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
