package dev.herald.core;

/**
 * The root of Herald's unchecked exceptions for event streams. Subclasses say what failed; {@link
 * SseLimitExceededException} is the only one the parser throws.
 *
 * @since 0.1
 */
public class SseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public SseException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public SseException(String message, Throwable cause) {
    super(message, cause);
  }
}
