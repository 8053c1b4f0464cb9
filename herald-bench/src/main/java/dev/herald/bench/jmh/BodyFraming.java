package dev.herald.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How the loopback server of {@link ClientBenchmark} frames the event stream in its HTTP/1.1
 * response. Either way the response says {@code Connection: close}, so no client keeps the
 * connection for another request, and the server closes it after the last byte.
 */
public enum BodyFraming {
  /**
   * {@code Transfer-Encoding: chunked}, one chunk per event, as {@code HeraldServer} (and most
   * servers that write each event as it comes) sends a stream; a last empty chunk ends it.
   */
  CHUNKED("Transfer-Encoding: chunked\r\n", "chunked, a chunk per event"),

  /** No framing: the body is the bare event stream, ended by the closing of the connection. */
  CLOSE("", "none, until close");

  private final String framingHeader;
  private final String label;

  BodyFraming(String framingHeader, String label) {
    this.framingHeader = framingHeader;
    this.label = label;
  }

  /** A short description for reports, such as {@code "chunked, a chunk per event"}. */
  public String label() {
    return label;
  }

  /**
   * The whole response, head and body, carrying events 0 to {@code events - 1} of {@code payload}.
   *
   * @throws IllegalArgumentException if {@code events} is negative
   */
  public byte[] response(ClientPayload payload, int events) {
    if (events < 0) {
      throw new IllegalArgumentException("events must not be negative: " + events);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ascii(
        out,
        "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/event-stream\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Connection: close\r\n"
            + framingHeader
            + "\r\n");
    for (int i = 0; i < events; i++) {
      String event = payload.encodedEvent(i);
      if (this == CHUNKED) {
        ascii(out, Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
      } else {
        ascii(out, event);
      }
    }
    if (this == CHUNKED) {
      ascii(out, "0\r\n\r\n");
    }
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
