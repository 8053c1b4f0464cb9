package dev.herald.hub.auth;

import dev.herald.hub.mercure.HubException;

/**
 * An {@link AccessPolicy}'s refusal, and how the hub answers it: the HTTP status, and whether with
 * an RFC 6750 {@code WWW-Authenticate: Bearer} challenge (naming the hub's protected resource
 * metadata) and which error code. The {@linkplain #description() description} is the answer's body;
 * the message, for logs, may say more. Neither ever holds a credential.
 *
 * @since 0.1
 */
public class AccessDeniedException extends HubException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;
  private final boolean challenges;
  private final String description;

  /**
   * A refusal answered with {@code status}, {@code description} as body, and, if {@code
   * challenges}, a challenge with the RFC 6750 {@code errorCode} (or none if {@code null}); {@code
   * message} and {@code cause} are for logs.
   */
  protected AccessDeniedException(
      int status,
      String errorCode,
      boolean challenges,
      String description,
      String message,
      Throwable cause) {
    super(message, cause);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal's status is 4xx: " + status);
    }
    this.status = status;
    this.errorCode = errorCode;
    this.challenges = challenges;
    this.description = java.util.Objects.requireNonNull(description, "description");
  }

  /**
   * {@code 401} with a challenge and no error code: the request presented no credentials, and needs
   * some (RFC 6750, section 3.1).
   */
  public static AccessDeniedException unauthenticated(String description) {
    return new AccessDeniedException(401, null, true, description, description, null);
  }

  /**
   * {@code 403} with a challenge and the error code {@code insufficient_scope}: the credentials are
   * valid but do not allow this.
   */
  public static AccessDeniedException insufficientScope(String description) {
    return new AccessDeniedException(
        403, "insufficient_scope", true, description, description, null);
  }

  /** {@code 403} without a challenge: no credentials would allow this request as it was made. */
  public static AccessDeniedException forbidden(String description) {
    return new AccessDeniedException(403, null, false, description, description, null);
  }

  /** The HTTP status to answer with, a {@code 4xx}. */
  public int status() {
    return status;
  }

  /** The RFC 6750 {@code error} code of the challenge, or {@code null} for none. */
  public String errorCode() {
    return errorCode;
  }

  /** Whether the answer carries a {@code WWW-Authenticate: Bearer} challenge. */
  public boolean challenges() {
    return challenges;
  }

  /** What the answer's body says: for the client, never holding a credential. */
  public String description() {
    return description;
  }
}
