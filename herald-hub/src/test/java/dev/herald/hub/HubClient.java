package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.core.SseListener;
import dev.herald.core.SseParser;
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

/** Talks to a hub over loopback with the JDK HttpClient: subscribes, publishes, fetches. */
final class HubClient {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;

  HubClient(Hub hub) {
    this.base = "http://127.0.0.1:" + hub.port();
  }

  /** Form-encodes name/value pairs: {@code form("topic", "a", "data", "x")}. */
  static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8));
      if (pairs[i + 1] != null) {
        out.append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
      }
    }
    return out.toString();
  }

  HttpResponse<String> publish(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + Hub.DEFAULT_PATH))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens {@code GET /.well-known/mercure?query} and reads its events in the background. */
  Subscription subscribe(String query, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + Hub.DEFAULT_PATH + "?" + query))
            .header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<InputStream> response =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    return new Subscription(response);
  }

  /** One subscriber connection. */
  static final class Subscription implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    volatile boolean ended;

    Subscription(HttpResponse<InputStream> response) {
      this.response = response;
      SseParser parser =
          new SseParser(
              new SseListener() {
                @Override
                public void onEvent(SseEvent event) {
                  events.add(event);
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
              "hub-test-reader");
      reader.setDaemon(true);
      reader.start();
    }

    int status() {
      return response.statusCode();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    /** The next event, or fails after 5 s. */
    SseEvent next() throws InterruptedException {
      SseEvent e = events.poll(5, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no event within 5 s");
      }
      return e;
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
