package dev.herald.bench.jmh;

import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The SSE clients of {@link ClientBenchmark}, each through its public API as an application would
 * use it, with its defaults, except that Herald is given a JDK client set to HTTP/1.1 (so it speaks
 * its own HTTP/1.1, as it does by default for this {@code http} URL), and except what ending after
 * a known number of events, without reconnecting, needs.
 *
 * <p>A {@link Receiver} holds what a real application would share between connections (an {@code
 * HttpClient} or {@code OkHttpClient}); each {@link Receiver#receive} call is one new connection,
 * as a new subscriber's would be.
 */
public enum ClientHarness {
  /**
   * Herald's {@code EventSource} with an {@code EventSourceListener}, over its own HTTP/1.1 (given
   * a JDK {@code HttpClient} set to HTTP/1.1); the listener runs on the source's own thread, which
   * also reads the socket.
   */
  HERALD("Herald") {
    @Override
    public Receiver newReceiver() {
      return new HeraldReceivers.Listener();
    }
  },

  /** Herald's pull API: {@code EventSource.builder(uri).openStream()}, iterated on the caller. */
  HERALD_STREAM("Herald, pull (`openStream`)") {
    @Override
    public Receiver newReceiver() {
      return new HeraldReceivers.Stream();
    }
  },

  /**
   * OkHttp's {@code okhttp-sse}: {@code EventSources.createFactory(client)}, whose listener runs on
   * OkHttp's dispatcher thread, which also reads the socket.
   */
  OKHTTP_SSE("okhttp-sse 4.12.0") {
    @Override
    public Receiver newReceiver() {
      return new ReferenceReceivers.OkHttpSse();
    }
  },

  /**
   * LaunchDarkly's {@code okhttp-eventsource} 4.x: an {@code EventSource} over {@code
   * ConnectStrategy.http(uri)} on a shared {@code OkHttpClient}, read with {@code readMessage()} on
   * the caller, which also reads the socket.
   */
  LAUNCHDARKLY("okhttp-eventsource 4.3.0") {
    @Override
    public Receiver newReceiver() {
      return new ReferenceReceivers.LaunchDarkly();
    }
  };

  private final String title;

  ClientHarness(String title) {
    this.title = title;
  }

  /** The library's name and version in reports, such as {@code "okhttp-sse 4.12.0"}. */
  public String title() {
    return title;
  }

  /** A new receiver, with its own HTTP client; close it when done. */
  public abstract Receiver newReceiver();

  /** One client library, ready to open connections. Not thread-safe: one connection at a time. */
  public interface Receiver extends AutoCloseable {
    /**
     * Opens a connection to {@code uri}, passes the data of its first {@code events} events to
     * {@code sink} in order, then closes the connection.
     *
     * @return the number of events received: {@code events}
     * @throws IOException if the connection failed or ended before the last of them
     */
    int receive(URI uri, int events, Consumer<String> sink)
        throws IOException, InterruptedException;

    /** Releases the HTTP client's threads and connections, if it can. */
    @Override
    void close();
  }
}
