package dev.herald.hub.auth;

import dev.herald.hub.mercure.HubException;

/**
 * A presented access token that the hub refuses, with the RFC 6750 error code to answer with. The
 * message says why, for logs; it never contains the token. Unchecked, as every failure of
 * herald-hub ({@link HubException}).
 *
 * @since 0.1
 */
public final class TokenException extends HubException {
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
    super(message);
    this.error = error;
  }

  /** A refusal with {@code error}, explained by {@code message}, caused by {@code cause}. */
  public TokenException(Error error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The RFC 6750 error. */
  public Error error() {
    return error;
  }
}
