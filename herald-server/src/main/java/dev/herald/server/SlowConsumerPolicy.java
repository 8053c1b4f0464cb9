package dev.herald.server;

/**
 * What the server does with a stream whose client reads too slowly to keep its outbound bytes
 * within the budget ({@link HeraldServer.Builder#maxPendingBytes}). Either way memory stays
 * bounded.
 *
 * @since 0.1
 */
public enum SlowConsumerPolicy {
  /**
   * Sends a {@code retry:} hint and closes the stream; the client reconnects with its {@code
   * Last-Event-ID} and, where the route keeps history, resumes without loss. The default.
   */
  CLOSE,
  /**
   * Drops the events that do not fit and keeps the stream open: for feeds where only the latest
   * value matters. The client sees gaps.
   */
  DROP
}
