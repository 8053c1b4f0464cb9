package dev.herald.client;

/**
 * The state of an {@link EventSource}, as a browser's {@code EventSource.readyState} reports it
 * (S-40).
 *
 * <p>It starts {@link #CONNECTING}; becomes {@link #OPEN} when a response is accepted (S-46);
 * returns to {@link #CONNECTING} while the source waits to reconnect (S-47); and ends {@link
 * #CLOSED} when the connection fails for good (S-48) or {@link EventSource#close()} is called
 * (S-49). {@link #CLOSED} is final.
 *
 * @since 0.1
 */
public enum ReadyState {
  /** Connecting, or waiting to reconnect. */
  CONNECTING,
  /** A response was accepted and its events are being dispatched. */
  OPEN,
  /** Closed for good: no more connections and no more callbacks. */
  CLOSED
}
