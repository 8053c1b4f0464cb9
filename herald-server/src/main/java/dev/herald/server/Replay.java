package dev.herald.server;

/**
 * How a subscription started, for the route to act on (the hub tells its client).
 *
 * @since 0.1
 */
public enum Replay {
  /** The client gave no last event ID: live events only. */
  LIVE,
  /** The client's last event ID is in the history: every later event was sent first. */
  RESUMED,
  /**
   * The client's last event ID is unknown or expired from the history: the stream starts live, and
   * events may have been missed.
   */
  UNKNOWN_ID
}
