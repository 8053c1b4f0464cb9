package dev.herald.server;

import dev.herald.core.SseEvent;
import java.time.Duration;

/**
 * One client's event stream. Every method is thread-safe and none blocks: events are queued, and a
 * {@link HeraldServer}'s streams write those of one event-loop pass in one write.
 *
 * <p>Each stream has an outbound byte budget. A client that reads too slowly to stay within it is
 * handled by the server's slow-consumer policy (by default: a {@code retry:} hint, then the stream
 * is closed, and the client resumes from its last event ID); {@link #send} then returns {@code
 * false}.
 *
 * <p>This interface is also the seam for other transports: a stream of a servlet container or of
 * any other server implements it, and a {@link Broadcaster} delivers its topics to such a stream as
 * to its own (see {@link Broadcaster#subscribe(SseStream, Interest, String)}). Such a stream bounds
 * what it queues itself and answers {@code false} past its budget, as described above, and may
 * implement {@link #whenWritten} so that a catch-up is paced by its connection.
 *
 * @since 0.1
 */
public interface SseStream {
  /**
   * Queues {@code event}.
   *
   * @return {@code true} if it was queued; {@code false} if the stream is closed or the event went
   *     past the budget (backpressure)
   */
  boolean send(SseEvent event);

  /** Queues a comment (multi-line comments become several comment lines). */
  default boolean comment(String text) {
    return send(SseEvent.ofComment(text));
  }

  /** Queues a {@code retry} field: the client's reconnection time from now on. */
  default boolean retry(Duration reconnectionTime) {
    return send(SseEvent.builder().retry(reconnectionTime).build());
  }

  /**
   * Answers with {@code status} and a plain-text {@code message} instead of a stream: {@code 204}
   * tells an {@code EventSource} to stop reconnecting (S-65), and any status other than 200 fails
   * it. Only before the response headers left, that is within {@link SseHandler#handle} and before
   * the first event.
   *
   * @throws IllegalStateException if the headers have already been sent
   */
  void reject(int status, String message);

  /**
   * Answers with {@code response} instead of a stream, for example a {@code 401} with its {@code
   * WWW-Authenticate} challenge. Only before the response headers left: within {@link
   * SseHandler#handle}, or from any thread while the headers are {@linkplain #holdHeaders held}.
   *
   * @throws IllegalStateException if the headers have already been sent
   */
  void reject(Response response);

  /**
   * Adds a response header to the stream's head, such as a cursor the client reads before the first
   * event. Only before the headers left; from any thread while they are held.
   *
   * @throws IllegalStateException if the headers have already been sent
   * @throws IllegalArgumentException if the name or value holds CR, LF or NUL
   */
  void header(String name, String value);

  /**
   * Keeps the response headers back when {@link SseHandler#handle} returns, for a handler that must
   * look something up off the event loop before it knows them; events sent meanwhile wait. Then
   * call {@link #sendHeaders}, {@link #reject(Response)} or {@link #close} from any thread. Only
   * within {@link SseHandler#handle}.
   *
   * @throws IllegalStateException if called outside {@link SseHandler#handle}
   */
  void holdHeaders();

  /** Sends the headers {@linkplain #holdHeaders held} back, then what was sent meanwhile. */
  void sendHeaders();

  /** Ends the stream after the events already queued; the close callbacks run. */
  void close();

  /**
   * Registers {@code callback} to run exactly once when the stream ends, whichever side ended it;
   * at once (on the calling thread) if it already has. Callbacks run in the order registered, on
   * the stream's transport thread (a {@link HeraldServer}'s: the event loop); they must not block.
   */
  void onClose(Runnable callback);

  /**
   * Runs {@code action} once every event queued so far has been written to the connection, or the
   * stream has ended: a {@link Broadcaster} sends a page of a catch-up, then the next page from
   * this, so that the stream holds about a page at a time however long the backlog. It may run on
   * any thread, at once if nothing is pending; it must not block.
   *
   * <p>The default runs it at once: pages then follow each other as fast as the broadcaster reads
   * them, and the stream's budget ({@link #send} answering {@code false}) is what bounds them. A
   * stream that writes asynchronously should run it once the bytes have left. A {@link
   * HeraldServer}'s streams keep the default: the broadcaster paces them through their event loop.
   *
   * @since 0.2
   */
  default void whenWritten(Runnable action) {
    action.run();
  }

  /** Whether the stream is still open. */
  boolean isOpen();

  /** The request that opened the stream. */
  Request request();

  /**
   * The client's last event ID: its {@code Last-Event-ID} header, else the route's query parameter
   * for it if the route names one, else {@code null}.
   */
  String lastEventId();
}
