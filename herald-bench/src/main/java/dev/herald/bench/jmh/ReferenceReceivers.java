package dev.herald.bench.jmh;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.ErrorStrategy;
import com.launchdarkly.eventsource.StreamException;
import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/** The reference clients of {@link ClientHarness}, both on OkHttp 4.12. */
final class ReferenceReceivers {
  private ReferenceReceivers() {}

  private static void shutDown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** {@code okhttp-sse}: a listener, which stops counting at the last expected event. */
  static final class OkHttpSse implements ClientHarness.Receiver {
    private final OkHttpClient client = new OkHttpClient();
    private final EventSource.Factory factory = EventSources.createFactory(client);

    @Override
    public int receive(URI uri, int events, Consumer<String> sink)
        throws IOException, InterruptedException {
      EventCountdown countdown = new EventCountdown(events, sink);
      Request request = new Request.Builder().url(uri.toString()).build();
      EventSource source =
          factory.newEventSource(
              request,
              new EventSourceListener() {
                @Override
                public void onEvent(EventSource source, String id, String type, String data) {
                  countdown.event(data);
                }

                @Override
                public void onClosed(EventSource source) {
                  countdown.fail(null);
                }

                @Override
                public void onFailure(EventSource source, Throwable error, Response response) {
                  countdown.fail(
                      error != null ? error : new IOException("HTTP " + response.code()));
                }
              });
      try {
        return countdown.await();
      } finally {
        source.cancel();
      }
    }

    @Override
    public void close() {
      shutDown(client);
    }
  }

  /**
   * {@code okhttp-eventsource}'s {@code EventSource}, given the shared client (which its {@code
   * close()} then leaves running), that throws instead of reconnecting at the end of the stream.
   */
  static final class LaunchDarkly implements ClientHarness.Receiver {
    private final OkHttpClient client = new OkHttpClient();

    @Override
    public int receive(URI uri, int events, Consumer<String> sink) throws IOException {
      int count = 0;
      try (com.launchdarkly.eventsource.EventSource source =
          new com.launchdarkly.eventsource.EventSource.Builder(
                  ConnectStrategy.http(uri).httpClient(client))
              .errorStrategy(ErrorStrategy.alwaysThrow())
              .build()) {
        while (count < events) {
          sink.accept(source.readMessage().getData());
          count++;
        }
        return count;
      } catch (StreamException e) {
        throw new IOException("received " + count + " of " + events + " events", e);
      }
    }

    @Override
    public void close() {
      shutDown(client);
    }
  }
}
