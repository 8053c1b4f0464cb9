package dev.herald.client;

import dev.herald.core.SseParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * A server-sent events client that follows the browser's {@code EventSource} rules (WHATWG HTML
 * 9.2), over an HTTP/1.1 of its own or, for HTTP/2, the JDK's {@link HttpClient}, with what
 * services add: backoff with jitter, a read timeout, headers computed per connection, POST with a
 * body, an initial last event ID, and a strategy for giving up.
 *
 * <pre>{@code
 * EventSource source = EventSource.builder(URI.create("https://example.org/updates"))
 *     .header("Authorization", () -> "Bearer " + tokens.current()) // asked before each connection
 *     .listener(event -> System.out.println(event.type() + ": " + event.data()))
 *     .build();
 * source.start();
 * ...
 * source.close();
 * }</pre>
 *
 * <p>Each connection asks for {@code text/event-stream} with caching off (S-42); a response other
 * than 200 with {@code Content-Type: text/event-stream} fails the source for good (S-43, S-48); the
 * end of a stream or a network error makes it reconnect after its reconnection time (S-45, S-47),
 * sending the last event ID as {@code Last-Event-ID} when there is one (S-41). Redirects are
 * followed, at most {@value #MAX_REDIRECTS} in a row (S-44).
 *
 * <p>The source reads on a thread of its own, which also calls the {@link EventSourceListener}: see
 * its threading contract. To pull events instead, see {@link Builder#openStream()}.
 *
 * <p><b>Transport.</b> By default the source speaks HTTP/1.1 itself, for {@code http} and {@code
 * https} (TLS by the JDK's {@link javax.net.ssl.SSLSocket}, with host name verification): one
 * connection per request, header values written byte for byte (so a last event ID leaves as its
 * UTF-8 bytes, S-47), the body read on the source's thread straight into the parser. A response
 * head holds at most 64 KiB and 256 fields, a chunk-size line 1 KiB; past them the connection fails
 * with a {@link dev.herald.core.SseLimitExceededException} naming the limit, and a malformed
 * response with a {@link java.net.ProtocolException}, both retried as network errors. The JDK's
 * {@link HttpClient} carries the requests instead when {@link Builder#httpClient} gives one that
 * asks for what only it does: see there.
 *
 * <p>Thread-safe: every method may be called from any thread, listener callbacks included.
 *
 * @since 0.1
 */
public interface EventSource extends AutoCloseable {
  /** The initial reconnection time, {@value} ms, as in Chromium (S-40). */
  long DEFAULT_RECONNECTION_MILLIS = 3000;

  /** The default read timeout, {@value} seconds. */
  long DEFAULT_READ_TIMEOUT_SECONDS = 300;

  /** The most redirects followed in a row, as in Fetch (S-44): {@value}. */
  int MAX_REDIRECTS = 20;

  /**
   * A builder for a source reading {@code uri}.
   *
   * @throws IllegalArgumentException if {@code uri} is not an absolute {@code http} or {@code
   *     https} URL
   */
  static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /** The URL the source connects to (before any redirect). */
  URI uri();

  /** The current state. */
  ReadyState readyState();

  /** The last event ID string (S-30): sent as {@code Last-Event-ID} when it is not empty. */
  String lastEventId();

  /** The reconnection time in effect: the server's last {@code retry}, else the initial one. */
  Duration reconnectionTime();

  /**
   * Starts connecting, on the source's own thread; returns at once.
   *
   * @throws IllegalStateException if the source was already started or is closed
   */
  void start();

  /**
   * Drops the current connection, if any, and connects again at once, as a server ending the stream
   * would but without waiting and without {@link EventSourceListener#onError}. Useful after the
   * values of dynamic headers change, such as a refreshed token. Does nothing once closed.
   */
  void restart();

  /**
   * Closes the source for good (S-49): aborts the request or stream in progress, cancels any
   * reconnection, and makes it {@link ReadyState#CLOSED CLOSED}. No listener callback starts after
   * it returns; see {@link EventSourceListener} for a callback in progress. Idempotent.
   */
  @Override
  void close();

  /**
   * Configures an {@link EventSource}. Each setter checks its argument at once, with the
   * parameter's name in the message. Not thread-safe.
   */
  final class Builder {
    final URI uri;
    EventSourceListener listener;
    HttpClient httpClient;
    final Map<String, Supplier<String>> headers = new LinkedHashMap<>();
    String method = "GET";
    byte[] body;
    String lastEventId = "";
    Duration reconnectionTime = Duration.ofMillis(DEFAULT_RECONNECTION_MILLIS);
    Duration readTimeout = Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS);
    RetryStrategy retryStrategy = RetryStrategy.defaults();
    ErrorStrategy errorStrategy = ErrorStrategy.alwaysRetry();
    int maxLineBytes = SseParser.DEFAULT_MAX_LINE_BYTES;
    int maxEventBytes = SseParser.DEFAULT_MAX_EVENT_BYTES;
    ThreadFactory threadFactory;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("uri must be an absolute http or https URL: " + uri);
      }
      this.uri = uri;
    }

    /** The listener that receives the events and the connection's changes. Required. */
    public Builder listener(EventSourceListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The HTTP settings, as a JDK client. If {@code httpClient} asks for HTTP/1.1 ({@code
     * version(HttpClient.Version.HTTP_1_1)}) and has no proxy, authenticator or cookie handler, the
     * source keeps its own HTTP/1.1 and takes the client's TLS settings ({@code sslContext}, {@code
     * sslParameters}; host names are always verified) and connect timeout (else 10 s). Otherwise —
     * HTTP/2, which is the JDK's default version, a proxy, an authenticator or a cookie handler —
     * the client itself carries every request: HTTP/2 over TLS where the server offers it by ALPN,
     * with many sources to one origin on one connection; over HTTP/1.1 it writes header values as
     * US-ASCII, so a last event ID beyond ASCII arrives as {@code ?}. Such a client should not
     * follow redirects ({@link HttpClient.Redirect#NEVER}): the source follows them itself, by the
     * browser's rules.
     *
     * <p>Default: none; HTTP/1.1 of the source's own with the JDK's default TLS context and a 10 s
     * connect timeout.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Sends header {@code name: value} on every request, replacing the source's own for {@code
     * Accept}, {@code Cache-Control} and {@code Pragma}. A later call for the same name (in any
     * case) replaces an earlier one. The value's characters (up to U+00FF, by the JDK's rules) go
     * out one byte each.
     *
     * @throws IllegalArgumentException if the JDK's client does not allow the header (such as
     *     {@code Host}), the value is invalid, or the name is {@code Last-Event-ID} (use {@link
     *     #lastEventId})
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(value, "value");
      checkHeader(name, value);
      return putHeader(name, () -> value);
    }

    /**
     * Sends header {@code name} with the value {@code value} supplies, asked on the source's thread
     * before each connection (not before each redirect): a refreshed token, for example. A {@code
     * null} value leaves the header out of that connection; a supplier that throws fails that
     * connection attempt, as a network error would.
     *
     * @throws IllegalArgumentException as {@link #header(String, String)} for the name
     */
    public Builder header(String name, Supplier<String> value) {
      Objects.requireNonNull(value, "value");
      checkHeader(name, "x");
      return putHeader(name, value);
    }

    /**
     * The request method; default {@code GET}. With another one, such as {@code POST} or {@code
     * REPORT}, set a {@link #body} too. Redirects 301 and 302 of a {@code POST}, and 303 of any
     * method but {@code HEAD}, turn it into a {@code GET} without body, as in Fetch.
     */
    public Builder method(String method) {
      Objects.requireNonNull(method, "method");
      HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
      this.method = method;
      return this;
    }

    /**
     * The request body, sent again with each connection; set its type with {@code
     * header("Content-Type", ...)}.
     */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /** The request body as UTF-8 text; see {@link #body(byte[])}. */
    public Builder body(String body) {
      return body(Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The last event ID to start with, sent as {@code Last-Event-ID} on the first request and
     * reported by events until the stream sets another; default "" (none).
     *
     * @throws IllegalArgumentException if it contains CR, LF or NUL, which no stream could set
     */
    public Builder lastEventId(String lastEventId) {
      SseParser.builder().lastEventId(lastEventId); // checks it as the parser would
      this.lastEventId = lastEventId;
      return this;
    }

    /**
     * The reconnection time until the server sets one with {@code retry}; default {@value
     * #DEFAULT_RECONNECTION_MILLIS} ms (S-40).
     */
    public Builder reconnectionTime(Duration reconnectionTime) {
      this.reconnectionTime = RetryStrategy.notNegative("reconnectionTime", reconnectionTime);
      return this;
    }

    /**
     * How long to wait for the response's head, from the request, and then for each next byte of
     * the stream (heartbeat comments count), before dropping the connection and reconnecting;
     * {@link Duration#ZERO} waits forever. Default {@value #DEFAULT_READ_TIMEOUT_SECONDS} s;
     * against a server with heartbeats, a few heartbeat intervals is a good value.
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = RetryStrategy.notNegative("readTimeout", readTimeout);
      return this;
    }

    /** The backoff on top of the reconnection time; default {@link RetryStrategy#defaults()}. */
    public Builder retryStrategy(RetryStrategy retryStrategy) {
      this.retryStrategy = Objects.requireNonNull(retryStrategy, "retryStrategy");
      return this;
    }

    /** When to stop trying to connect; default {@link ErrorStrategy#alwaysRetry()}. */
    public Builder errorStrategy(ErrorStrategy errorStrategy) {
      this.errorStrategy = Objects.requireNonNull(errorStrategy, "errorStrategy");
      return this;
    }

    /**
     * The longest line accepted, in bytes; default {@value SseParser#DEFAULT_MAX_LINE_BYTES}. A
     * longer one drops the connection with a {@link dev.herald.core.SseLimitExceededException}.
     */
    public Builder maxLineBytes(int maxLineBytes) {
      SseParser.builder().maxLineBytes(maxLineBytes);
      this.maxLineBytes = maxLineBytes;
      return this;
    }

    /**
     * The largest data of one event, in bytes; default {@value SseParser#DEFAULT_MAX_EVENT_BYTES}.
     */
    public Builder maxEventBytes(int maxEventBytes) {
      SseParser.builder().maxEventBytes(maxEventBytes);
      this.maxEventBytes = maxEventBytes;
      return this;
    }

    /**
     * Makes the thread the source reads on and calls its listener on. Default: a daemon thread
     * named {@code herald-event-source-N}.
     */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * The source, not yet started: call {@link EventSource#start()}.
     *
     * @throws IllegalStateException if no listener was set
     */
    public EventSource build() {
      if (listener == null) {
        throw new IllegalStateException("a listener is required: call listener(...)");
      }
      return new RealEventSource(this, listener);
    }

    /**
     * Builds and starts a source whose events are pulled from the returned stream rather than
     * pushed to a listener.
     *
     * @throws IllegalStateException if a listener was set: the stream is the listener
     */
    public EventStream openStream() {
      if (listener != null) {
        throw new IllegalStateException("openStream() replaces the listener: do not set one");
      }
      return new EventStream(this);
    }

    private Builder putHeader(String name, Supplier<String> value) {
      headers.keySet().removeIf(name::equalsIgnoreCase);
      headers.put(name, value);
      return this;
    }

    private void checkHeader(String name, String value) {
      Objects.requireNonNull(name, "name");
      if (name.equalsIgnoreCase("Last-Event-ID")) {
        throw new IllegalArgumentException(
            "Last-Event-ID is the source's own: set the initial one with lastEventId(...)");
      }
      HttpRequest.newBuilder(uri).setHeader(name, value); // the JDK's own checks, at once
    }
  }
}
