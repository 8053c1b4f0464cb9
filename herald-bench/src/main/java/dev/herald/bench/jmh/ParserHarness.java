package dev.herald.bench.jmh;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.ErrorStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.logging.LDLogger;
import dev.herald.core.SseEvent;
import dev.herald.core.SseListener;
import dev.herald.core.SseParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Consumer;
import okhttp3.internal.sse.ServerSentEventReader;
import okio.BufferedSource;
import okio.Okio;

/**
 * One SSE parser driven over a whole stream, the same way for each: the bytes come from an {@link
 * InputStream} in reads of {@value #CHUNK} bytes (the size of an okio segment, as a socket read
 * would deliver them), every event's data goes to a sink, and the events are counted. {@link
 * #HERALD_WHOLE} alone skips the stream, to show what the reads and the lines split across them
 * cost.
 *
 * <p>Each call starts a new parser, as a new connection would. Thread-safe: the harnesses keep no
 * state between calls.
 */
public enum ParserHarness {
  /** Herald's {@link SseParser}, fed each read as it arrives. */
  HERALD {
    @Override
    public int parse(byte[] stream, Consumer<String> sink) throws IOException {
      HeraldCounter counter = new HeraldCounter(sink);
      SseParser parser = new SseParser(counter);
      InputStream in = new ByteArrayInputStream(stream);
      byte[] buffer = new byte[CHUNK];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        parser.feed(buffer, 0, n);
      }
      parser.end();
      return counter.count;
    }
  },

  /**
   * Herald's {@link SseParser} given the whole stream in one {@code feed} call, as from one heap
   * buffer: no copy into read buffers and no line split across reads.
   */
  HERALD_WHOLE {
    @Override
    public int parse(byte[] stream, Consumer<String> sink) {
      HeraldCounter counter = new HeraldCounter(sink);
      SseParser parser = new SseParser(counter);
      parser.feed(stream, 0, stream.length);
      parser.end();
      return counter.count;
    }
  },

  /** OkHttp's {@code okhttp-sse} reader over an okio source of the stream. */
  OKHTTP_SSE {
    @Override
    public int parse(byte[] stream, Consumer<String> sink) throws IOException {
      OkHttpCounter counter = new OkHttpCounter(sink);
      try (BufferedSource source = Okio.buffer(Okio.source(new ByteArrayInputStream(stream)))) {
        ServerSentEventReader reader = new ServerSentEventReader(source, counter);
        while (reader.processNextEvent()) {
          // each call reads one event, or returns false at the end of the stream
        }
      }
      return counter.count;
    }
  },

  /**
   * LaunchDarkly's {@code okhttp-eventsource} 4.x, through its public API: an {@link EventSource}
   * whose {@link ConnectStrategy} hands it the stream as the response body, read with {@link
   * EventSource#messages()} until the stream ends.
   */
  LAUNCHDARKLY {
    @Override
    public int parse(byte[] stream, Consumer<String> sink) {
      int count = 0;
      try (EventSource source =
          new EventSource.Builder(new StreamConnectStrategy(new ByteArrayInputStream(stream)))
              .readBufferSize(CHUNK)
              .errorStrategy(ErrorStrategy.alwaysThrow())
              .build()) {
        for (MessageEvent message : source.messages()) {
          sink.accept(message.getData());
          count++;
        }
      }
      return count;
    }
  };

  /** The size of each read from the input stream, in bytes. */
  public static final int CHUNK = 8192;

  /**
   * Parses {@code stream} to its end, passing the data of every event to {@code sink} in order.
   *
   * @return the number of events
   */
  public abstract int parse(byte[] stream, Consumer<String> sink) throws IOException;

  private static final class HeraldCounter implements SseListener {
    private final Consumer<String> sink;
    int count;

    HeraldCounter(Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public void onEvent(SseEvent event) {
      sink.accept(event.data());
      count++;
    }
  }

  private static final class OkHttpCounter implements ServerSentEventReader.Callback {
    private final Consumer<String> sink;
    int count;

    OkHttpCounter(Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public void onEvent(String id, String type, String data) {
      sink.accept(data);
      count++;
    }

    @Override
    public void onRetryChange(long timeMs) {}
  }

  /** Connects once, to a response whose body is the given stream. */
  private static final class StreamConnectStrategy extends ConnectStrategy {
    private static final URI ORIGIN = URI.create("http://127.0.0.1/bench");

    private final InputStream body;

    StreamConnectStrategy(InputStream body) {
      this.body = body;
    }

    @Override
    public Client createClient(LDLogger logger) {
      return new Client() {
        @Override
        public Result connect(String lastEventId) {
          return new Result(body, ORIGIN, body);
        }

        @Override
        public boolean awaitClosed(long timeoutMillis) {
          return true;
        }

        @Override
        public URI getOrigin() {
          return ORIGIN;
        }

        @Override
        public void close() {}
      };
    }
  }
}
