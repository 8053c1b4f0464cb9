package dev.herald.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server on 127.0.0.1 that speaks no HTTP of its own: a test accepts each connection, reads the
 * request's bytes exactly as they came, and writes whatever bytes it likes back, valid or not.
 * Every blocking step gives up after 10 s.
 */
final class RawServer implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 10_000;

  private final ServerSocket socket;
  private final List<Socket> accepted = new ArrayList<>();

  RawServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(TIMEOUT_MILLIS);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
  }

  /** The next connection, once its request head has arrived. */
  Connection accept() throws IOException {
    Socket s = socket.accept();
    synchronized (accepted) {
      accepted.add(s);
    }
    s.setSoTimeout(TIMEOUT_MILLIS);
    return new Connection(s);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (accepted) {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /** One accepted connection. */
  static final class Connection {
    private final Socket socket;
    final byte[] head;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.head = readHead(socket.getInputStream());
    }

    /** The request head as ISO-8859-1 text: one character per byte. */
    String headText() {
      return new String(head, StandardCharsets.ISO_8859_1);
    }

    /** Reads {@code n} bytes of request body. */
    byte[] body(int n) throws IOException {
      return socket.getInputStream().readNBytes(n);
    }

    Connection write(String text) throws IOException {
      return write(text.getBytes(StandardCharsets.UTF_8));
    }

    Connection write(byte[] bytes) throws IOException {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return this;
    }

    /**
     * Writes {@code text} one byte per write, so that the client reads it in the smallest steps.
     */
    Connection trickle(String text) throws IOException {
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        write(new byte[] {b});
      }
      return this;
    }

    /** Whether the client has closed the connection: reading sees the end (within 10 s). */
    boolean closedByClient() throws IOException {
      try {
        return socket.getInputStream().read() < 0;
      } catch (IOException e) {
        return true; // reset
      }
    }

    void close() throws IOException {
      socket.close();
    }

    private static byte[] readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the client closed before the end of its request head");
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
      }
      return head.toByteArray();
    }
  }
}
