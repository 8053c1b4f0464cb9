package dev.herald.hub.mercure;

/**
 * The root of herald-hub's unchecked exceptions: every failure the hub's packages throw on purpose
 * is one, so an application can catch them all in one place. Subclasses say what failed:
 *
 * <ul>
 *   <li>{@code dev.herald.hub.auth.AccessDeniedException}: an access policy refused a request, with
 *       the HTTP status and challenge to answer with; its subclass {@code
 *       dev.herald.hub.auth.TokenException} is a presented access token that is malformed or
 *       invalid;
 *   <li>{@code dev.herald.hub.store.UpdateStoreException}: a store could not open, store or read;
 *   <li>{@code dev.herald.hub.HubOverloadedException}: a publish refused because too many wait for
 *       the store.
 * </ul>
 *
 * <p>Arguments that break a documented rule still fail with {@link IllegalArgumentException} (a bad
 * topic, a limit out of range), and a call in the wrong state with {@link IllegalStateException},
 * as in the JDK.
 *
 * @since 0.1
 */
public class HubException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public HubException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public HubException(String message, Throwable cause) {
    super(message, cause);
  }
}
