package dev.herald.server;

import dev.herald.core.SseException;

/**
 * The root of herald-server's unchecked exceptions: what failed in the server rather than in the
 * caller's arguments (those fail with {@link IllegalArgumentException}, and a call at the wrong
 * time with {@link IllegalStateException}, as in the JDK). {@link HeraldServer#start} throws it
 * when it cannot bind its address or set up TLS.
 *
 * @since 0.2
 */
public class HeraldServerException extends SseException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public HeraldServerException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public HeraldServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
