package dev.herald.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 as bytes over a socket, for requests no well-behaved client would send. Text is written
 * as ISO-8859-1, one byte per char, so that {@code "\u00ff"} in a string is the raw byte 0xFF.
 */
final class RawHttp {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  private static final int READ_TIMEOUT_MILLIS = 2_000;

  private RawHttp() {}

  /** What came back on one connection. */
  record Exchange(List<Integer> statuses, String text, boolean closed) {
    /** The first response's status, or -1 if none came. */
    int status() {
      return statuses.isEmpty() ? -1 : statuses.get(0);
    }
  }

  /** A request: a request line, header lines, an empty line and {@code body}. */
  static byte[] request(String requestLine, List<String> headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(latin1(requestLine + "\r\n"));
    for (String h : headers) {
      out.writeBytes(latin1(h + "\r\n"));
    }
    out.writeBytes(latin1("\r\n"));
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends {@code request} to 127.0.0.1:{@code port} and reads until the server closes, an event
   * stream's head has arrived, or nothing comes for two seconds.
   */
  static Exchange send(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException resetWhileSending) {
        // the server answered early and closed (a body over the limit): read what it said
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      boolean closed = false;
      try {
        while (true) {
          int n = in.read(buffer);
          if (n < 0) {
            closed = true;
            break;
          }
          received.write(buffer, 0, n);
          String text = received.toString(StandardCharsets.ISO_8859_1);
          if (text.contains("text/event-stream") && text.contains("\r\n\r\n")) {
            break; // a stream that stays open: its head is the answer
          }
        }
      } catch (SocketTimeoutException quiet) {
        // the server keeps the connection open
      } catch (IOException reset) {
        closed = true;
      }
      String text = received.toString(StandardCharsets.ISO_8859_1);
      List<Integer> statuses = new ArrayList<>();
      Matcher m = STATUS.matcher(text);
      while (m.find()) {
        statuses.add(Integer.parseInt(m.group(1)));
      }
      return new Exchange(statuses, text, closed);
    }
  }
}
