package dev.herald.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server side of {@link ClientBenchmark}: on 127.0.0.1, it answers every request, whatever its
 * method or path, with the same pre-encoded response (head and body, built once), written as fast
 * as the socket takes it, then ends the connection. It does no other work per connection, and the
 * same for every client, so what differs between the figures is the client.
 *
 * <p>One thread accepts; each connection is served on a thread of a cached pool: read the request
 * head, write the response in one call, shut down the output, then read until the client closes (so
 * that the server never resets a connection whose data the client has not read yet).
 *
 * <p>Thread-safe. {@link #close()} stops accepting and ends the connections in progress.
 */
public final class LoopbackSseServer implements AutoCloseable {
  /** The largest request head read, in bytes; a longer one ends the connection unanswered. */
  public static final int MAX_HEAD_BYTES = 16 * 1024;

  /** How long a connection waits for the client's bytes before giving up, in milliseconds. */
  public static final int READ_TIMEOUT_MILLIS = 60_000;

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final byte[] response;
  private final ServerSocket socket;
  private final ExecutorService connections;
  private final Thread acceptor;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private LoopbackSseServer(byte[] response) throws IOException {
    this.response = response.clone();
    this.socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    this.connections = Executors.newCachedThreadPool(r -> daemon(r, "connection"));
    this.acceptor = daemon(this::acceptLoop, "acceptor");
  }

  /**
   * Starts a server on a free port of 127.0.0.1 that answers every request with {@code response}.
   */
  public static LoopbackSseServer start(byte[] response) throws IOException {
    LoopbackSseServer server = new LoopbackSseServer(response);
    server.acceptor.start();
    return server;
  }

  /** The URL to request: {@code http://127.0.0.1:PORT/events}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/events");
  }

  /** The number of connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(10));
      for (Socket connection : open) {
        connection.close();
      }
      connections.shutdown();
      connections.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        accepted.incrementAndGet();
        open.add(connection);
        connections.execute(() -> serve(connection));
      } catch (IOException e) {
        // the server socket was closed: the loop ends
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout(READ_TIMEOUT_MILLIS);
      InputStream in = connection.getInputStream();
      if (!readHead(in)) {
        return;
      }
      OutputStream out = connection.getOutputStream();
      out.write(response);
      out.flush();
      connection.shutdownOutput();
      byte[] discard = new byte[1024];
      while (in.read(discard) >= 0) {
        // the client sends nothing more; this waits for it to close
      }
    } catch (IOException e) {
      // the client reset the connection, or went quiet, or close() ended it: the client's harness
      // reports whether it received every event
    } finally {
      open.remove(connection);
    }
  }

  /** Reads up to the blank line that ends the request head; false if the head never ends. */
  private static boolean readHead(InputStream in) throws IOException {
    byte[] head = new byte[MAX_HEAD_BYTES];
    int length = 0;
    while (length < head.length) {
      int n = in.read(head, length, head.length - length);
      if (n < 0) {
        return false;
      }
      for (int i = Math.max(3, length); i < length + n; i++) {
        if (head[i - 3] == '\r' && head[i - 2] == '\n' && head[i - 1] == '\r' && head[i] == '\n') {
          return true;
        }
      }
      length += n;
    }
    return false;
  }

  private static Thread daemon(Runnable task, String role) {
    Thread thread = new Thread(task, "loopback-sse-" + role + "-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
