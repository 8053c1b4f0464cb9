package dev.herald.core;

/**
 * Receives what an {@link SseParser} reads from a stream, in stream order, on the thread that calls
 * {@link SseParser#feed}. Callbacks run before {@code feed} returns; a callback that throws stops
 * that {@code feed} call and the exception reaches its caller.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SseListener {
  /**
   * An event was dispatched (a blank line ended a block with data, S-32). Its {@link
   * SseEvent#type() type} is never {@code null} ({@value SseEvent#DEFAULT_TYPE} when the stream
   * named none), its {@link SseEvent#data() data} never {@code null}, and its {@link SseEvent#id()
   * id} is the last event ID in effect, possibly empty (S-34).
   */
  void onEvent(SseEvent event);

  /**
   * A valid {@code retry} field set the reconnection time (S-23), in milliseconds; values too large
   * for a {@code long} arrive as {@link Long#MAX_VALUE}. Called as the line is read (S-25).
   */
  default void onRetry(long millis) {}

  /**
   * A comment line was read (clients ignore it, S-11); {@code comment} is the text after the colon,
   * less one leading space, as for field values.
   */
  default void onComment(String comment) {}
}
