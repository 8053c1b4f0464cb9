package dev.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The little HTTP/1.1 that the mock server speaks: read one request, write a response head. */
final class Http1 {
  static final int MAX_HEAD_BYTES = 64 * 1024;
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private Http1() {}

  /** The request head and body as parsed; {@code null} if the client closed before sending one. */
  record Request(
      String method,
      String target,
      String version,
      TreeMap<String, List<String>> headers,
      byte[] body) {}

  static Request readRequest(InputStream in) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    String requestLine = readLine(in, budget);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(in, budget); // tolerated before a request line (RFC 9112, 2.2)
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new ProtocolException("bad request line: " + requestLine);
    }
    TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = readLine(in, budget); ; line = readLine(in, budget)) {
      if (line == null) {
        throw new EOFException("the connection closed in the request head");
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("bad header line: " + line);
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return new Request(parts[0], parts[1], parts[2], headers, readBody(in, headers));
  }

  private static byte[] readBody(InputStream in, TreeMap<String, List<String>> headers)
      throws IOException {
    List<String> encoding = headers.get("Transfer-Encoding");
    if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      return readChunkedBody(in);
    }
    List<String> length = headers.get("Content-Length");
    if (length == null) {
      return new byte[0];
    }
    long n;
    try {
      n = Long.parseLong(length.get(0));
    } catch (NumberFormatException e) {
      throw new ProtocolException("bad Content-Length: " + length.get(0));
    }
    if (n < 0 || n > MAX_BODY_BYTES) {
      throw new ProtocolException("Content-Length out of range: " + n);
    }
    byte[] body = in.readNBytes((int) n);
    if (body.length < n) {
      throw new EOFException("the connection closed in the request body");
    }
    return body;
  }

  private static byte[] readChunkedBody(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] budget = {MAX_HEAD_BYTES};
    while (true) {
      String sizeLine = readLine(in, budget);
      if (sizeLine == null) {
        throw new EOFException("the connection closed in the request body");
      }
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new ProtocolException("bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
        throw new ProtocolException("request body too large");
      }
      if (size == 0) {
        for (String t = readLine(in, budget); t != null && !t.isEmpty(); ) {
          t = readLine(in, budget); // trailers, ignored
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        throw new EOFException("the connection closed in the request body");
      }
      body.write(chunk);
      readLine(in, budget); // the CRLF after the chunk
    }
  }

  /** A line without its CRLF or LF, decoded as ISO-8859-1; {@code null} at end of stream. */
  private static String readLine(InputStream in, int[] budget) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        return line.length() == 0 ? null : line.toString();
      }
      if (--budget[0] < 0) {
        throw new ProtocolException("request head over " + MAX_HEAD_BYTES + " bytes");
      }
      if (b == '\n') {
        int last = line.length() - 1;
        if (last >= 0 && line.charAt(last) == '\r') {
          line.setLength(last);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  /** The status line and headers of {@code response}, with the server's own framing headers. */
  static byte[] responseHead(MockResponse response) {
    StringBuilder head = new StringBuilder();
    int status = response.statusCode();
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (String[] h : response.headers()) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    head.append(response.chunked() ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 0\r\n");
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 204:
        return "No Content";
      case 301:
        return "Moved Permanently";
      case 302:
        return "Found";
      case 303:
        return "See Other";
      case 307:
        return "Temporary Redirect";
      case 308:
        return "Permanent Redirect";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      default:
        return "Status " + status;
    }
  }
}
