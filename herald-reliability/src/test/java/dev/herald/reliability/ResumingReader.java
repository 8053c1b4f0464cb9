package dev.herald.reliability;

import dev.herald.core.SseEvent;
import dev.herald.core.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that behaves as a browser's {@code EventSource} does: when its stream ends (its node
 * was killed, stopped, or closed it), it reconnects after {@link #RETRY_MILLIS} to the same URL —
 * through a load balancer, any node — with the last ID it received as {@code Last-Event-ID}, until
 * the run's end update ({@link IdTally#END}) arrives or it is closed. Every event's {@code P-I} ID
 * goes to its {@link IdTally}; it counts its reconnections, the answers {@code
 * Mercure-Last-Event-ID: earliest} (a gap reported), and the longest time it spent without a
 * stream.
 *
 * <p>One thread of its own reads; the counters may be read by any thread, the tally once {@link
 * #await} returned true.
 */
final class ResumingReader implements AutoCloseable {
  /** The wait before a reconnection, as a small {@code retry:} would set. */
  static final long RETRY_MILLIS = 100;

  final IdTally tally;
  private final HttpClient http;
  private final String url;
  private final Thread thread;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch connected = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile InputStream body;
  private volatile String lastId;
  private volatile int reconnects;
  private volatile int gaps;
  private volatile long longestOutageNanos;

  /** Starts reading {@code url} (a subscribe URL) from live, until update {@code END-endIndex}. */
  ResumingReader(HttpClient http, String url, int endIndex, String name) {
    this(http, url, endIndex, name, null);
  }

  /**
   * Starts reading {@code url} after update {@code from} (null: live), until {@code END-endIndex}.
   */
  ResumingReader(HttpClient http, String url, int endIndex, String name, String from) {
    this.lastId = from;
    this.tally = new IdTally(endIndex);
    this.http = http;
    this.url = url;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long brokeAt = 0;
    while (!closed && !tally.endSeen()) {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(5)); // to the response head only
        if (lastId != null) {
          request.header("Last-Event-ID", lastId);
        }
        HttpResponse<InputStream> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 200) {
          if (brokeAt != 0) {
            longestOutageNanos = Math.max(longestOutageNanos, System.nanoTime() - brokeAt);
            brokeAt = 0;
          }
          if ("earliest".equals(response.headers().firstValue("Mercure-Last-Event-ID").orElse(""))
              && lastId != null) {
            gaps++;
          }
          connected.countDown();
          read(response.body());
        } else {
          response.body().close();
        }
      } catch (IOException | RuntimeException e) {
        // the node went away, or refused: reconnect as EventSource would
      } catch (InterruptedException e) {
        return;
      }
      if (closed || tally.endSeen()) {
        break;
      }
      if (connected.getCount() == 0) {
        if (brokeAt == 0) {
          brokeAt = System.nanoTime();
        }
        reconnects++;
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
    ended.countDown();
  }

  private void read(InputStream in) throws IOException {
    body = in;
    SseParser parser = new SseParser(this::accept);
    byte[] buffer = new byte[16384];
    try (in) {
      // the end is looked for before each read: the read after it would wait for a heartbeat
      for (int n; !tally.endSeen() && (n = in.read(buffer)) >= 0; ) {
        parser.feed(buffer, 0, n);
      }
    }
  }

  private void accept(SseEvent e) {
    String id = e.id();
    if (id == null) {
      return;
    }
    lastId = id;
    int dash = id.indexOf('-');
    try {
      tally.accept(
          Integer.parseInt(id.substring(0, dash)), Integer.parseInt(id.substring(dash + 1)));
    } catch (RuntimeException notOurs) {
      tally.foreign();
    }
  }

  /** Whether the first stream opened within {@code timeout}. */
  boolean awaitConnected(Duration timeout) throws InterruptedException {
    return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the end update arrived within {@code timeout}. */
  boolean await(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && tally.endSeen();
  }

  int reconnects() {
    return reconnects;
  }

  /** Reconnections answered {@code Mercure-Last-Event-ID: earliest}. */
  int gaps() {
    return gaps;
  }

  long longestOutageMillis() {
    return TimeUnit.NANOSECONDS.toMillis(longestOutageNanos);
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    thread.interrupt();
  }
}
