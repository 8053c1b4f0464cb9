package dev.herald.server;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on a plain socket, for checking exact bytes: it sends a request as
 * written, reads the response head, and de-chunks the body as it arrives.
 */
final class RawHttp implements Closeable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  int status;
  String statusLine;
  final Map<String, String> headers = new LinkedHashMap<>();
  private byte[] body = new byte[8192];
  private int bodyLength;
  private boolean chunked;
  private boolean ended;

  RawHttp(int port) throws IOException {
    this(port, 0);
  }

  /** Connects with {@code receiveBuffer} as SO_RCVBUF when positive. */
  RawHttp(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static RawHttp get(int port, String path, String... headerLines) throws IOException {
    RawHttp http = new RawHttp(port);
    http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lines(headerLines) + "\r\n");
    http.readHead();
    return http;
  }

  static String lines(String... headerLines) {
    StringBuilder b = new StringBuilder();
    for (String line : headerLines) {
      b.append(line).append("\r\n");
    }
    return b.toString();
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads the status line and headers. */
  void readHead() throws IOException {
    statusLine = readLine();
    status = Integer.parseInt(statusLine.split(" ")[1]);
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
  }

  /** The body of a response with Content-Length. */
  String readFixedBody() throws IOException {
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /**
   * Reads chunks until the de-chunked body holds {@code expected} (returns the body so far), or the
   * stream ends, or the timeout passes.
   */
  String readUntil(String expected, long timeoutMillis) throws IOException {
    byte[] needle = expected.getBytes(StandardCharsets.UTF_8);
    long deadline = System.currentTimeMillis() + timeoutMillis;
    int searched = 0; // only the bytes that arrived since the last look are searched again
    while (!ended && System.currentTimeMillis() < deadline) {
      if (indexOf(body, bodyLength, Math.max(0, searched - needle.length + 1), needle) >= 0) {
        break;
      }
      searched = bodyLength;
      readChunk();
    }
    return body();
  }

  private static int indexOf(byte[] haystack, int length, int from, byte[] needle) {
    outer:
    for (int i = from; i <= length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Reads until the server ends the body (last chunk or close). */
  String readToEnd() throws IOException {
    while (!ended) {
      readChunk();
    }
    return body();
  }

  boolean ended() {
    return ended;
  }

  String body() {
    return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
  }

  private void append(byte[] bytes, int offset, int length) {
    if (bodyLength + length > body.length) {
      body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + length));
    }
    System.arraycopy(bytes, offset, body, bodyLength, length);
    bodyLength += length;
  }

  private void readChunk() throws IOException {
    if (!chunked) {
      byte[] b = new byte[8192];
      int n = in.read(b);
      if (n < 0) {
        ended = true;
      } else {
        append(b, 0, n);
      }
      return;
    }
    String sizeLine;
    try {
      sizeLine = readLine();
    } catch (SocketTimeoutException e) {
      return;
    }
    if (sizeLine == null) {
      ended = true;
      return;
    }
    int size = Integer.parseInt(sizeLine.trim(), 16);
    if (size == 0) {
      readLine();
      ended = true;
      return;
    }
    byte[] chunk = in.readNBytes(size);
    append(chunk, 0, chunk.length);
    String crlf = readLine();
    if (!crlf.isEmpty()) {
      throw new IOException("chunk not followed by CRLF: " + crlf);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new IOException("connection closed mid-line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
