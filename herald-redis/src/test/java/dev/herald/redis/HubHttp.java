package dev.herald.redis;

import dev.herald.core.SseEvent;
import dev.herald.core.SseListener;
import dev.herald.core.SseParser;
import dev.herald.hub.Hub;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Talks to one hub node over loopback with the JDK HttpClient: publishes, subscribes, fetches. */
final class HubHttp {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  HubHttp(Hub hub) {
    this.base = "http://127.0.0.1:" + hub.port();
  }

  /** Form-encodes name/value pairs: {@code form("topic", "a", "data", "x")}. */
  static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  HttpResponse<String> publish(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + Hub.DEFAULT_PATH))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Opens {@code GET /.well-known/mercure?query} and reads its events in the background. */
  Subscription subscribe(String query, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + Hub.DEFAULT_PATH + "?" + query))
            .header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return new Subscription(
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS));
  }

  /** Checks {@code condition} every 20 ms; fails after 10 s. */
  static void poll(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the condition did not hold within 10 s");
      }
      Thread.sleep(20); // nothing to wait on but the condition itself
    }
  }

  /** One subscriber connection: its events, and the heartbeat comments it received. */
  static final class Subscription implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;
    private volatile boolean ended;

    Subscription(HttpResponse<InputStream> response) {
      this.response = response;
      SseParser parser =
          new SseParser(
              new SseListener() {
                @Override
                public void onEvent(SseEvent event) {
                  events.add(event);
                }

                @Override
                public void onComment(String comment) {
                  comments.incrementAndGet();
                }
              });
      reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = response.body()) {
                  for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    parser.feed(buffer, 0, n);
                  }
                } catch (IOException closed) {
                  // the test closed it, or the hub did
                }
                ended = true;
              },
              "redis-test-reader");
      reader.setDaemon(true);
      reader.start();
    }

    int status() {
      return response.statusCode();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    int comments() {
      return comments.get();
    }

    boolean ended() {
      return ended;
    }

    /** The next event, or fails after 10 s. */
    SseEvent next() throws InterruptedException {
      SseEvent e = events.poll(10, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no event within 10 s");
      }
      return e;
    }

    /** The next {@code n} events' IDs. */
    List<String> ids(int n) throws InterruptedException {
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(next().id());
      }
      return ids;
    }

    /** Events arriving within {@code millis}. */
    List<SseEvent> drain(long millis) throws InterruptedException {
      List<SseEvent> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      for (long left = millis;
          left > 0;
          left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
        SseEvent e = events.poll(left, TimeUnit.MILLISECONDS);
        if (e != null) {
          out.add(e);
        }
      }
      return out;
    }

    /** Waits until the hub ended the stream. */
    boolean awaitEnd(long millis) throws InterruptedException {
      reader.join(millis);
      return ended;
    }

    @Override
    public void close() {
      reader.interrupt();
      try {
        response.body().close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
