package dev.herald.publisher;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A publication the hub did not accept: it answered with an error status ({@link #status()} and
 * {@link #hubMessage()}), or could not be reached or did not answer in time (status {@code -1}).
 * The message never holds a token.
 *
 * @since 0.2
 */
public class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String hubMessage;

  /** A failure without an answer from the hub. */
  public PublishException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.hubMessage = "";
  }

  /** The hub answered {@code status} with {@code hubMessage}. */
  public PublishException(String message, int status, String hubMessage) {
    super(message);
    this.status = status;
    this.hubMessage = hubMessage;
  }

  /** The hub's status, or {@code -1} if it gave none (unreachable, timed out). */
  public int status() {
    return status;
  }

  /** The body of the hub's answer (trimmed, at most 500 characters); empty if none. */
  public String hubMessage() {
    return hubMessage;
  }

  /** The result of {@code future}, unwrapping its {@link PublishException}. */
  static String join(CompletableFuture<String> future) {
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      if (e.getCause() instanceof PublishException) {
        throw (PublishException) e.getCause();
      }
      throw new PublishException("publish failed: " + e.getMessage(), e);
    }
  }
}
