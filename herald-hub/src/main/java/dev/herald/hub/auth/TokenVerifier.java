package dev.herald.hub.auth;

/** STUB until the hub-auth branch lands. */
public final class TokenVerifier implements AutoCloseable {
  TokenVerifier() {}

  /** Stub. */
  public Grants verify(String token) throws TokenException {
    throw new TokenException(TokenException.Error.INVALID_TOKEN, "stub");
  }

  /** Stub. */
  public static String bearer(String header) throws TokenException {
    return null;
  }

  @Override
  public void close() {}
}
