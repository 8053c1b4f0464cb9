package dev.herald.client;

import dev.herald.core.SseEvent;
import java.time.Duration;

/**
 * Receives what an {@link EventSource} reads and what happens to its connection. Only {@link
 * #onEvent} must be implemented; the others do nothing by default.
 *
 * <pre>{@code
 * EventSource source = EventSource.builder(uri)
 *     .listener(event -> System.out.println(event.type() + ": " + event.data()))
 *     .build();
 * }</pre>
 *
 * <h2>Threading and order</h2>
 *
 * <p>Every callback of one source runs on that source's own thread, one at a time, in this order
 * for each connection: {@link #onOpen} once the response is accepted; then {@link #onEvent}, {@link
 * #onComment} and {@link #onRetry} in stream order, each as soon as the stream has it; then {@link
 * #onError} when the connection ends. A callback that takes long delays the next ones and the
 * reading of the stream (which is how a slow listener pushes back on the server), never its own
 * order.
 *
 * <p>No callback starts after {@link EventSource#close()} has returned, nor after {@link #onError}
 * with {@code willRetry == false}. {@code close()} called on another thread waits for a callback in
 * progress to return; called from a callback, it lets that callback finish and stops the rest.
 *
 * <p>A callback that throws closes the source: the exception is reported to {@link #onError} with
 * {@code willRetry == false}. One thrown by {@code onError} itself is logged (with {@link
 * System.Logger}) and dropped.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventSourceListener {
  /**
   * A response was accepted (status 200 and {@code Content-Type: text/event-stream}, S-43): the
   * source is {@link ReadyState#OPEN OPEN} (S-46). Called once per connection, before its events.
   *
   * @param response the status, headers, final URL (after redirects) and HTTP version
   */
  default void onOpen(ResponseInfo response) {}

  /**
   * An event was dispatched (S-34): its {@link SseEvent#type() type} is {@code message} unless the
   * stream named one, its {@link SseEvent#id() id} is the last event ID in effect, possibly carried
   * over from an earlier connection (S-41).
   */
  void onEvent(SseEvent event);

  /**
   * A comment line was read, such as a server's heartbeat; {@code comment} is the text after the
   * colon less one leading space. Browsers ignore comments (S-11).
   */
  default void onComment(String comment) {}

  /**
   * The stream set the reconnection time with a {@code retry} field (S-23): {@link
   * EventSource#reconnectionTime()} is {@code reconnectionTime} from now on. Called in stream order
   * with events and comments, as the line is read (S-25). Until the first call, the reconnection
   * time is the initial one, which no stream set.
   */
  default void onRetry(Duration reconnectionTime) {}

  /**
   * The connection ended or could not be made.
   *
   * <p>With {@code willRetry == true} the source is {@link ReadyState#CONNECTING CONNECTING} again
   * and will reconnect after its reconnection time, and perhaps a backoff (S-47). {@code error} is
   * then an {@link java.io.IOException}: {@link java.io.EOFException} when the server ended the
   * stream (S-45), {@link java.net.http.HttpTimeoutException} when the read timeout passed ({@link
   * java.net.http.HttpConnectTimeoutException} the connect timeout), {@link
   * java.net.ProtocolException} for a malformed response, another for a network error (S-43); or a
   * {@link dev.herald.core.SseLimitExceededException} when the stream went past a parser limit or
   * the response past a limit of the HTTP/1.1 it came by (its head's size).
   *
   * <p>With {@code willRetry == false} the source is {@link ReadyState#CLOSED CLOSED} for good
   * (S-48) and this is the last callback. {@code error} is then a {@link ResponseException} (a
   * status other than 200, or the wrong {@code Content-Type}), the error after which the {@link
   * ErrorStrategy} gave up, or the exception a callback threw.
   */
  default void onError(Throwable error, boolean willRetry) {}
}
