package dev.herald.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many subscribers over NIO on a few threads: each opens its connection to the hub, sends one
 * subscribe request, and reads its stream as fast as it comes into an {@link SseIdScanner} and an
 * {@link IdTally}, until the run's end update ({@link IdTally#END}) or the stream ends. For
 * hundreds of subscribers in a test and, from {@link CatchUpStorm}, for thousands.
 *
 * <pre>{@code
 * try (SseReaders readers = SseReaders.open(hub.port(), request, 200, 2, 1, List.of())) {
 *   assertThat(readers.await(Duration.ofSeconds(60))).isTrue();
 * }
 * }</pre>
 *
 * <p>Thread-safe for the test thread's reads of {@link #readers()} once {@link #await} returned
 * true; {@link #close()} stops every thread and closes every connection.
 */
final class SseReaders implements AutoCloseable {
  /** Connections being opened at once per thread: a burst bounded below the accept backlog. */
  private static final int CONNECTING_PER_THREAD = 64;

  /** One subscriber. */
  static final class Reader {
    final IdTally tally;
    final SseIdScanner scanner;
    volatile boolean ended; // the stream ended: closed by the hub, or the end update came
    volatile boolean closedByHub;
    volatile long firstByteNanos;
    volatile long doneNanos;

    Reader(int endIndex) {
      tally = new IdTally(endIndex);
      scanner = new SseIdScanner(tally);
    }
  }

  private final List<Reader> readers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch done;
  private final long startNanos = System.nanoTime();
  private volatile boolean running = true;

  private SseReaders(int count, int endIndex) {
    this.done = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      readers.add(new Reader(endIndex));
    }
  }

  /**
   * Opens {@code count} subscribers to 127.0.0.1:{@code port}, each sending {@code request}, on
   * {@code threads} threads, each until update {@code END-endIndex}; the client sockets bind to
   * {@code localAddresses} in turn (none: any).
   */
  static SseReaders open(
      int port,
      String request,
      int count,
      int threads,
      int endIndex,
      List<InetAddress> localAddresses) {
    SseReaders all = new SseReaders(count, endIndex);
    byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
    InetSocketAddress hub = new InetSocketAddress("127.0.0.1", port);
    for (int t = 0; t < threads; t++) {
      List<Reader> mine = new ArrayList<>();
      for (int i = t; i < count; i += threads) {
        mine.add(all.readers.get(i));
      }
      int first = t;
      Thread thread =
          new Thread(
              () -> all.run(mine, hub, bytes, localAddresses, first, threads), "sse-readers-" + t);
      thread.setDaemon(true);
      thread.start();
      all.threads.add(thread);
    }
    return all;
  }

  /** A GET of the hub's path with {@code query}, resuming after {@code lastEventId}. */
  static String subscribeRequest(int port, String query, String lastEventId) {
    return "GET /.well-known/mercure?"
        + query
        + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + port
        + "\r\nAccept: text/event-stream\r\n"
        + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
        + "\r\n";
  }

  List<Reader> readers() {
    return readers;
  }

  /** Whether every subscriber's stream ended within {@code timeout}. */
  boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The fewest events any subscriber has received so far. */
  long fewestEvents() {
    long fewest = Long.MAX_VALUE;
    for (Reader r : readers) {
      fewest = Math.min(fewest, r.tally.events());
    }
    return fewest;
  }

  /** Nanoseconds from the opening to the last subscriber's end. */
  long elapsedNanos() {
    long last = startNanos;
    for (Reader r : readers) {
      last = Math.max(last, r.doneNanos);
    }
    return last - startNanos;
  }

  private void run(
      List<Reader> mine,
      InetSocketAddress hub,
      byte[] request,
      List<InetAddress> locals,
      int first,
      int stride) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try (Selector selector = Selector.open()) {
      int next = 0;
      int connecting = 0;
      while (running && (next < mine.size() || !selector.keys().isEmpty())) {
        while (next < mine.size() && connecting < CONNECTING_PER_THREAD) {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          if (!locals.isEmpty()) {
            int global = first + next * stride;
            ch.bind(new InetSocketAddress(locals.get(global % locals.size()), 0));
          }
          Reader r = mine.get(next++);
          if (ch.connect(hub)) {
            send(ch, request);
            ch.register(selector, SelectionKey.OP_READ, r);
          } else {
            ch.register(selector, SelectionKey.OP_CONNECT, r);
            connecting++;
          }
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Reader r = (Reader) key.attachment();
          SocketChannel ch = (SocketChannel) key.channel();
          try {
            if (key.isConnectable()) {
              ch.finishConnect();
              connecting--;
              send(ch, request);
              key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
              read(key, ch, r, buffer);
            }
          } catch (IOException e) {
            if (key.isConnectable() || (key.interestOps() & SelectionKey.OP_CONNECT) != 0) {
              connecting--;
            }
            finish(key, r, true);
          }
        }
        selector.selectedKeys().clear();
      }
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(SocketChannel ch, byte[] request) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(request);
    while (out.hasRemaining()) {
      ch.write(out); // a few hundred bytes: the send buffer takes them at once
    }
  }

  private void read(SelectionKey key, SocketChannel ch, Reader r, ByteBuffer buffer)
      throws IOException {
    for (int round = 0; round < 16; round++) {
      buffer.clear();
      int n = ch.read(buffer);
      if (n < 0) {
        finish(key, r, true);
        return;
      }
      if (n == 0) {
        return;
      }
      if (r.firstByteNanos == 0) {
        r.firstByteNanos = System.nanoTime();
      }
      r.scanner.feed(buffer.array(), 0, n);
      if (r.tally.endSeen() || r.scanner.finished() || r.scanner.status() > 200) {
        finish(key, r, false);
        return;
      }
    }
  }

  private void finish(SelectionKey key, Reader r, boolean byHub) throws IOException {
    key.cancel();
    key.channel().close();
    r.closedByHub = byHub;
    r.doneNanos = System.nanoTime();
    r.ended = true;
    done.countDown();
  }

  @Override
  public void close() {
    running = false;
    try {
      for (Thread t : threads) {
        t.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
