package dev.herald.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A byte-exact HTTP/1.1 client on a socket: the test sees exactly what the server wrote. */
final class RawClient implements Closeable {
  private final Socket socket;
  private final InputStream in;
  String statusLine;
  final Map<String, String> headers = new LinkedHashMap<>();

  private RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000); // a test that waits longer has failed
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Sends {@code request} (a whole head, and body if any) and reads the response head. */
  static RawClient send(int port, String request) throws IOException {
    RawClient client = sendWithoutReading(port, request);
    client.readHead();
    return client;
  }

  /** Sends {@code request} and returns without waiting for the response. */
  static RawClient sendWithoutReading(int port, String request) throws IOException {
    RawClient client = new RawClient(port);
    client.socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    client.socket.getOutputStream().flush();
    return client;
  }

  static RawClient get(int port, String path) throws IOException {
    return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }

  private void readHead() throws IOException {
    statusLine = readLine();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 2));
    }
  }

  /** The next chunk's bytes as UTF-8; "" for the last chunk; {@code null} if the socket closed. */
  String readChunk() throws IOException {
    String size = readLine();
    if (size == null) {
      return null;
    }
    int n = Integer.parseInt(size, 16);
    byte[] data = in.readNBytes(n);
    if (data.length < n || readLine() == null) {
      return null;
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  /** Whether the server has closed the connection (the next read sees end of stream). */
  boolean closedByServer() throws IOException {
    return in.read() < 0;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
