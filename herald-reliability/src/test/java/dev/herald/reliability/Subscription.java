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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber over the JDK's HttpClient that records the events it receives: a reader thread
 * parses the stream into a queue, {@link #next(Duration)} takes from it. Closing it ends the
 * stream.
 */
final class Subscription implements AutoCloseable {
  private final HttpResponse<InputStream> response;
  private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  private Subscription(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "subscription-reader");
    reader.setDaemon(true);
    if (response.statusCode() == 200) {
      reader.start();
    }
  }

  /** Subscribes to {@code url} with {@code headers} (name, value, name, value...). */
  static Subscription open(HttpClient http, String url, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return new Subscription(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    SseParser parser = new SseParser(events::add);
    byte[] buffer = new byte[65536];
    try (InputStream in = response.body()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        parser.feed(buffer, 0, n);
      }
    } catch (IOException closed) {
      // closed by close(), or the hub went away: the queue holds what arrived
    }
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event, or null if none arrives within {@code timeout}. */
  SseEvent next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
