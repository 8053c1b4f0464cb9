package dev.herald.server;

import dev.herald.core.SseParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber over a raw socket that keeps no body: it de-chunks the stream, parses it, and checks
 * that the numeric event IDs it reads follow one another from where it resumed — so that hundreds
 * of them can read megabytes each and a test only counts. Reads on the calling thread.
 */
final class SseCounter implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final SseParser parser;
  private long expected; // the ID the next event must have
  private long events;
  private long outOfOrder; // events whose ID was not the expected one: a gap or a duplicate
  private boolean ended;
  int status;

  private SseCounter(Socket socket, long resumeAfter) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.expected = resumeAfter + 1;
    this.parser =
        SseParser.builder()
            .maxLineBytes(1 << 24)
            .maxEventBytes(1 << 24)
            .build(
                e -> {
                  long id = Long.parseLong(e.id());
                  if (id != expected) {
                    outOfOrder++;
                  }
                  expected = id + 1;
                  events++;
                });
  }

  /** Connects to {@code path} with {@code Last-Event-ID: resumeAfter} and reads the head. */
  static SseCounter resume(String host, int port, String path, long resumeAfter)
      throws IOException {
    return resume(host, port, path, resumeAfter, 0);
  }

  /** As {@link #resume(String, int, String, long)}, with SO_RCVBUF {@code receiveBuffer} if > 0. */
  static SseCounter resume(String host, int port, String path, long resumeAfter, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: "
                    + resumeAfter
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    SseCounter counter = new SseCounter(socket, resumeAfter);
    counter.readHead();
    return counter;
  }

  private void readHead() throws IOException {
    String status = readLine();
    this.status = Integer.parseInt(status.split(" ")[1]);
    while (!readLine().isEmpty()) {
      // headers: the stream is chunked, as the server always answers
    }
  }

  /**
   * Reads until the event with ID {@code lastId} has arrived, the stream ends, or the timeout
   * passes; returns whether it arrived.
   */
  boolean readThrough(long lastId, long timeout, TimeUnit unit) throws IOException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (expected <= lastId && !ended && System.nanoTime() < deadline) {
      readChunk();
    }
    return expected > lastId;
  }

  /** Reads until the server ends the stream, or the timeout passes; returns whether it ended. */
  boolean readToEnd(long timeout, TimeUnit unit) throws IOException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!ended && System.nanoTime() < deadline) {
      readChunk();
    }
    return ended;
  }

  long events() {
    return events;
  }

  /** Whether the server ended the stream (or the connection closed). */
  boolean ended() {
    return ended;
  }

  long outOfOrder() {
    return outOfOrder;
  }

  /** The ID of the last event read, or the one resumed after. */
  long lastId() {
    return expected - 1;
  }

  private void readChunk() throws IOException {
    String sizeLine;
    try {
      sizeLine = readLine();
    } catch (IOException closed) {
      ended = true;
      return;
    }
    int size = Integer.parseInt(sizeLine.trim(), 16);
    if (size == 0) {
      ended = true;
      return;
    }
    byte[] chunk = in.readNBytes(size);
    if (chunk.length < size) {
      ended = true;
      return;
    }
    parser.feed(chunk);
    readLine(); // the CRLF after the chunk
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(16);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
