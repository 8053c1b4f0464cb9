package dev.herald.hub.auth;

/**
 * A presented access token that the hub refuses, with the RFC 6750 error code to answer with: an
 * {@link AccessDeniedException} answered {@code 400 invalid_request} ("malformed access token
 * presentation") or {@code 401 invalid_token} ("invalid access token"), with a challenge. The
 * message says why, for logs; it never contains the token. Unchecked, as every failure of
 * herald-hub ({@link dev.herald.hub.mercure.HubException}).
 *
 * @since 0.1
 */
public final class TokenException extends AccessDeniedException {
  private static final long serialVersionUID = 1L;

  /** RFC 6750 error codes. */
  public enum Error {
    /** 400 {@code invalid_request}: the token's presentation is malformed. */
    INVALID_REQUEST("invalid_request", 400),
    /** 401 {@code invalid_token}: the token failed validation. */
    INVALID_TOKEN("invalid_token", 401);

    private final String code;
    private final int status;

    Error(String code, int status) {
      this.code = code;
      this.status = status;
    }

    /** The {@code error} attribute of the {@code WWW-Authenticate} challenge. */
    public String code() {
      return code;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }
  }

  private final Error error;

  /** A refusal with {@code error}, explained by {@code message}. */
  public TokenException(Error error, String message) {
    this(error, message, null);
  }

  /** A refusal with {@code error}, explained by {@code message}, caused by {@code cause}. */
  public TokenException(Error error, String message, Throwable cause) {
    super(error.status(), error.code(), true, description(error), message, cause);
    this.error = error;
  }

  private static String description(Error error) {
    return error == Error.INVALID_REQUEST
        ? "malformed access token presentation"
        : "invalid access token";
  }

  /** The RFC 6750 error ({@link #errorCode()} is its code). */
  public Error error() {
    return error;
  }
}
