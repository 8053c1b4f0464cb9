package dev.herald.bench.jmh;

import dev.herald.client.ErrorStrategy;
import dev.herald.client.EventSource;
import dev.herald.client.EventSourceListener;
import dev.herald.client.EventStream;
import dev.herald.core.SseEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Herald's client in {@link ClientHarness}: push ({@link Listener}) and pull ({@link Stream}). */
final class HeraldReceivers {
  private HeraldReceivers() {}

  /**
   * The settings every Herald receiver shares between its connections: a JDK client set to
   * HTTP/1.1, which makes the source speak its own HTTP/1.1 (the JDK's client carries nothing).
   */
  private static HttpClient http11() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** {@link EventSource} with a listener: it stops counting at the last expected event. */
  static final class Listener implements ClientHarness.Receiver {
    private final HttpClient http = http11();

    @Override
    public int receive(URI uri, int events, Consumer<String> sink)
        throws IOException, InterruptedException {
      EventCountdown countdown = new EventCountdown(events, sink);
      EventSource source =
          EventSource.builder(uri)
              .httpClient(http)
              .listener(
                  new EventSourceListener() {
                    @Override
                    public void onEvent(SseEvent event) {
                      countdown.event(event.data());
                    }

                    @Override
                    public void onError(Throwable error, boolean willRetry) {
                      countdown.fail(error); // the end of the stream too: no reconnection
                    }
                  })
              .build();
      try {
        source.start();
        return countdown.await();
      } finally {
        source.close();
      }
    }

    @Override
    public void close() {
      // the JDK 17 HttpClient has no close(): its threads end once it is unreachable
    }
  }

  /**
   * {@link EventSource.Builder#openStream()}, iterated to the last expected event. An event stream
   * hides reconnections, so a guard fails a second connection at once, which ends the iteration
   * with an exception instead of a reconnection; it sends no header and costs one call per
   * connection.
   */
  static final class Stream implements ClientHarness.Receiver {
    private final HttpClient http = http11();

    @Override
    public int receive(URI uri, int events, Consumer<String> sink) throws IOException {
      int count = 0;
      AtomicInteger connections = new AtomicInteger();
      EventSource.Builder builder =
          EventSource.builder(uri)
              .httpClient(http)
              .reconnectionTime(Duration.ZERO)
              .errorStrategy(ErrorStrategy.giveUpAfterAttempts(1))
              .header("X-Reconnection-Guard", () -> guard(connections));
      if (events > 0) {
        try (EventStream stream = builder.openStream()) {
          for (SseEvent event : stream) {
            sink.accept(event.data());
            if (++count == events) {
              break; // all in: stop here, as the other harnesses do
            }
          }
        } catch (RuntimeException e) {
          throw new IOException("received " + count + " of " + events + " events", e);
        }
      }
      if (count < events) {
        throw new IOException("received " + count + " of " + events + " events");
      }
      return count;
    }

    /** Asked before each connection: lets the first through, fails any later one. */
    private static String guard(AtomicInteger connections) {
      if (connections.incrementAndGet() > 1) {
        throw new IllegalStateException("the stream ended early: not reconnecting");
      }
      return null; // no header
    }

    @Override
    public void close() {
      // as Listener's
    }
  }
}
