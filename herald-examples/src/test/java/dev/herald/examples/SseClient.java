package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.core.SseListener;
import dev.herald.core.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real SSE client on the JDK's {@link HttpClient} that parses with herald-core's {@link
 * SseParser}: for exact checks of what a demo sends. One instance reads one response on a thread of
 * its own.
 */
final class SseClient implements AutoCloseable {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
  private final List<Long> retries = new ArrayList<>();
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    SseParser parser =
        new SseParser(
            new SseListener() {
              @Override
              public void onEvent(SseEvent event) {
                events.add(event);
              }

              @Override
              public void onRetry(long millis) {
                synchronized (retries) {
                  retries.add(millis);
                }
              }
            });
    this.reader = new Thread(() -> read(parser), "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** GETs {@code uri} with {@code headers} (name, value, name, value, …). */
  static SseClient open(URI uri, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read(SseParser parser) {
    byte[] buffer = new byte[8192];
    try (InputStream in = response.body()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        parser.feed(buffer, 0, n);
      }
    } catch (IOException e) {
      // closed by close(), or by the server
    }
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event, failing the test if none comes in time. */
  SseEvent next() throws InterruptedException {
    SseEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", WAIT).isNotNull();
    return event;
  }

  /** The next {@code n} events. */
  List<SseEvent> next(int n) throws InterruptedException {
    List<SseEvent> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(next());
    }
    return list;
  }

  /** Waits for the server to end the response; returns the events not read yet. */
  List<SseEvent> rest() throws InterruptedException {
    reader.join(WAIT.toMillis());
    assertThat(reader.isAlive()).as("the server ended the stream").isFalse();
    List<SseEvent> list = new ArrayList<>();
    events.drainTo(list);
    return list;
  }

  List<Long> retries() {
    synchronized (retries) {
      return List.copyOf(retries);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
      reader.join(WAIT.toMillis());
    } catch (IOException e) {
      // already gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
