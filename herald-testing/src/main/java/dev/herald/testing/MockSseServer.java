package dev.herald.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable server-sent events server for testing clients, on plain JDK sockets bound to
 * 127.0.0.1 on a free port. Each request gets the next {@link MockResponse} enqueued, in order, and
 * is recorded for the test to inspect.
 *
 * <pre>{@code
 * try (MockSseServer server = MockSseServer.start()) {
 *   server.enqueue(MockResponse.stream().send("id: 1\ndata: hello\n\n").build());
 *   server.enqueue(MockResponse.status(204));
 *   // ... point the client under test at server.uri("/events") ...
 *   RecordedRequest first = server.takeRequest();
 *   RecordedRequest second = server.takeRequest(); // the reconnection
 *   assertEquals("1", second.header("Last-Event-ID"));
 * }
 * }</pre>
 *
 * <p>When no response is enqueued, a request waits for the next {@link #enqueue}: a test can look
 * at a request before it decides the answer. It speaks HTTP/1.1, one request per connection.
 *
 * <p>Thread-safe. {@link #close()} closes every connection and stops every thread it started.
 *
 * @since 0.1
 */
public final class MockSseServer implements AutoCloseable {
  /** How long {@link #takeRequest()} waits for a request: 10 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final AtomicInteger SERVERS = new AtomicInteger();
  private static final long CLOSE_CHECK_MILLIS = 20;

  private final ServerSocket serverSocket;
  private final ExecutorService threads;
  private final BlockingQueue<MockResponse> responses = new LinkedBlockingQueue<>();
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final Set<MockConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requestCount = new AtomicInteger();
  private volatile boolean closed;

  private MockSseServer(ServerSocket serverSocket) {
    this.serverSocket = serverSocket;
    this.threads = Executors.newCachedThreadPool(daemonThreads(serverSocket.getLocalPort()));
    threads.execute(this::acceptLoop);
  }

  /**
   * Starts a server on 127.0.0.1 and a free port.
   *
   * @throws UncheckedIOException if no port can be bound
   */
  public static MockSseServer start() {
    try {
      return new MockSseServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a port on 127.0.0.1", e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public URI uri() {
    return uri("/");
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code path}, which starts with {@code /}. */
  public URI uri(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /**
   * Adds {@code responses} to the queue: each request takes the next one.
   *
   * @return this server
   * @throws IllegalStateException if the server is closed
   */
  public MockSseServer enqueue(MockResponse... responses) {
    if (closed) {
      throw new IllegalStateException("the server is closed");
    }
    for (MockResponse r : responses) {
      this.responses.add(Objects.requireNonNull(r, "response"));
    }
    return this;
  }

  /**
   * The next request received, in order, waiting up to {@link #DEFAULT_TIMEOUT} for it.
   *
   * @throws AssertionError if none came in time
   */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = takeRequest(DEFAULT_TIMEOUT);
    if (request == null) {
      throw new AssertionError("no request within " + DEFAULT_TIMEOUT.toSeconds() + " s");
    }
    return request;
  }

  /** The next request received, or {@code null} if none came within {@code timeout}. */
  public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
    return requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** How many requests the server has received so far, taken or not. */
  public int requestCount() {
    return requestCount.get();
  }

  /** Closes the port and every connection, and stops the server's threads. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException e) {
      // closing anyway
    }
    connections.forEach(MockConnection::close);
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the mock server's threads did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MockSseServer{" + uri() + (closed ? ", closed}" : "}");
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        threads.execute(() -> serve(socket));
      } catch (RuntimeException e) { // rejected: the server is closing
        closeQuietly(socket);
        return;
      }
    }
  }

  private void serve(Socket socket) {
    MockConnection connection;
    try {
      socket.setTcpNoDelay(true);
      connection = new MockConnection(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      return;
    }
    connections.add(connection);
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      Http1.Request r = Http1.readRequest(in);
      if (r == null) {
        return;
      }
      long receivedAt = System.nanoTime();
      int sequence = requestCount.getAndIncrement();
      requests.add(
          new RecordedRequest(
              sequence,
              r.method(),
              r.target(),
              r.version(),
              r.headers(),
              r.body(),
              connection,
              receivedAt));
      MockResponse response = nextResponse(socket, in);
      if (response != null) {
        respond(connection, response, in);
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the server is closing: either way this connection is done
    } finally {
      connection.close();
      connections.remove(connection);
    }
  }

  /**
   * The next enqueued response, or {@code null} if the client closed the connection while it
   * waited: that response then goes to the next request instead.
   */
  private MockResponse nextResponse(Socket socket, InputStream in)
      throws IOException, InterruptedException {
    while (true) {
      MockResponse response = responses.poll(CLOSE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      if (response != null) {
        return response;
      }
      socket.setSoTimeout(1);
      try {
        if (in.read() < 0) {
          return null;
        }
      } catch (SocketTimeoutException e) {
        // still open
      } finally {
        socket.setSoTimeout(0);
      }
    }
  }

  private static void respond(MockConnection connection, MockResponse response, InputStream in)
      throws IOException, InterruptedException {
    connection.writeHead(Http1.responseHead(response), response.chunked());
    for (Object step : response.steps()) {
      if (step instanceof Duration) {
        Thread.sleep(((Duration) step).toMillis()); // a scripted pause: the product, not a wait
      } else {
        connection.writeScriptedChunk((byte[]) step);
      }
    }
    switch (response.ending()) {
      case END:
        connection.finishBody();
        break;
      case ABORT:
        break;
      case HOLD:
        while (in.read() >= 0) {
          // held open: anything the client sends is ignored; end of stream means it closed
        }
        break;
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static ThreadFactory daemonThreads(int port) {
    int server = SERVERS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t =
          new Thread(task, "mock-sse-server-" + server + ":" + port + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
