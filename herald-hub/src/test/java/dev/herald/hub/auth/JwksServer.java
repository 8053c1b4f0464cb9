package dev.herald.hub.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-route HTTP/1.1 server on 127.0.0.1 that answers every request with the current JWK Set and
 * counts requests. (A raw socket: the module does not read {@code jdk.httpserver}.)
 */
final class JwksServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread thread;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String body;

  JwksServer(String body) throws IOException {
    this.body = body;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "jwks-server");
    thread.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks.json");
  }

  void body(String body) {
    this.body = body;
  }

  int requests() {
    return requests.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        readHead(client.getInputStream());
        requests.incrementAndGet();
        byte[] bytes = body.getBytes(UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(UTF_8));
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        // Closed, or a client gone: keep serving until closed.
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("eof");
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
