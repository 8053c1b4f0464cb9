package dev.herald.testing;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a {@link MockSseServer}, for driving a response live: send chunks when the test
 * decides, end the body or break the connection, and wait for the client to go away.
 *
 * <pre>{@code
 * server.enqueue(MockResponse.stream().hold().build());
 * MockConnection connection = server.takeRequest().connection();
 * connection.send("data: now\n\n");
 * connection.abort();                                   // the client sees a network error
 * }</pre>
 *
 * <p>Live sends are meant for responses that {@link MockResponse.Builder#hold() hold} the
 * connection; {@link #send} waits until the response's headers have left. Each send leaves as one
 * HTTP chunk, flushed at once.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class MockConnection {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final OutputStream out;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private boolean chunked;
  private boolean bodyEnded;

  MockConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /** Sends {@code text}, encoded as UTF-8, as one chunk. */
  public void send(String text) {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code event}, as {@link SseWriter} writes it, as one chunk. */
  public void send(SseEvent event) {
    send(SseWriter.encode(event));
  }

  /**
   * Sends {@code bytes} as one chunk.
   *
   * @throws IllegalStateException if no response started on this connection in time, or the body
   *     has ended
   * @throws UncheckedIOException if the connection is closed or the write fails
   */
  public void send(byte[] bytes) {
    awaitStarted();
    synchronized (this) {
      if (!isOpen()) {
        throw new UncheckedIOException(new IOException("the connection is closed"));
      }
      if (bodyEnded || !chunked) {
        throw new IllegalStateException("the response has no body open for sending");
      }
      try {
        writeChunk(bytes);
        out.flush();
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("the connection is closed", e);
      }
    }
  }

  /** Ends the body normally (the last chunk) and closes the connection. */
  public void end() {
    awaitStarted();
    synchronized (this) {
      try {
        finishBody();
      } catch (IOException e) {
        // the client went away first: the connection is closed either way
      }
    }
    close();
  }

  /** Closes the connection without ending the body: the client sees a network error. */
  public void abort() {
    close();
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return closed.getCount() > 0;
  }

  /**
   * Waits until the connection is closed, by either side. The server sees the client close a
   * connection that is held open or waiting for a response; one whose script is running, at its
   * next write.
   *
   * @return whether it closed within {@code timeout}
   */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The remote port, which tells connections apart. */
  public int clientPort() {
    return socket.getPort();
  }

  synchronized void writeHead(byte[] head, boolean chunked) throws IOException {
    this.chunked = chunked;
    out.write(head);
    out.flush();
    started.countDown();
  }

  synchronized void writeScriptedChunk(byte[] bytes) throws IOException {
    writeChunk(bytes);
    out.flush();
  }

  synchronized void finishBody() throws IOException {
    if (bodyEnded) {
      return;
    }
    bodyEnded = true;
    if (chunked) {
      out.write(LAST_CHUNK);
    }
    out.flush();
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    started.countDown(); // a sender waiting for a response that will never come gives up
    closed.countDown();
  }

  private void writeChunk(byte[] bytes) throws IOException {
    out.write(Integer.toHexString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    out.write(CRLF);
    out.write(bytes);
    out.write(CRLF);
  }

  private void awaitStarted() {
    try {
      if (!started.await(MockSseServer.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "no response started on this connection within "
                + MockSseServer.DEFAULT_TIMEOUT.toSeconds()
                + " s: enqueue one");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the response to start", e);
    }
  }

  @Override
  public String toString() {
    return "MockConnection{client port " + socket.getPort() + (isOpen() ? ", open}" : ", closed}");
  }
}
