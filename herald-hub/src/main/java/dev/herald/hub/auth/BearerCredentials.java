package dev.herald.hub.auth;

/**
 * Where the Mercure protocol reads a request's access token, the first found of: the {@code
 * Authorization: Bearer} header, the hub's cookie ({@code __Secure-mercure_access_token} unless
 * configured otherwise), and the pre-1.0 {@code mercureAuthorization} cookie that deployed clients
 * (Symfony's Mercure component) set on the hub's path. The header wins: with one, any cookie is
 * ignored. A strict policy refuses the pre-1.0 cookie rather than ignore it, so that a client that
 * sends it learns why it is not authorized. Immutable.
 */
final class BearerCredentials {
  static final String LEGACY_COOKIE = "mercureAuthorization";

  private final String cookieName;
  private final boolean strict;

  BearerCredentials(String cookieName, boolean strict) {
    this.cookieName = cookieName;
    this.strict = strict;
  }

  /**
   * The token the request presents, or {@code null} if none.
   *
   * @throws TokenException ({@code invalid_request}) if the Authorization header is malformed, or,
   *     strict, if the token comes in the pre-1.0 cookie
   */
  String token(AccessRequest request) {
    String authorization = request.header("Authorization");
    if (authorization != null) {
      return TokenVerifier.bearer(authorization); // the header wins; any cookie is ignored
    }
    String token = cookie(request, cookieName);
    if (token != null || cookieName.equals(LEGACY_COOKIE)) {
      return token;
    }
    token = cookie(request, LEGACY_COOKIE);
    if (token != null && strict) {
      throw new TokenException(
          TokenException.Error.INVALID_REQUEST,
          "the "
              + LEGACY_COOKIE
              + " cookie is a pre-1.0 Mercure form, which this strict hub refuses: send the token"
              + " in the Authorization header or the "
              + cookieName
              + " cookie");
    }
    return token;
  }

  /**
   * Whether a token would come from a cookie, which a browser sends by itself: the request has no
   * Authorization header.
   */
  static boolean fromCookie(AccessRequest request) {
    return request.header("Authorization") == null;
  }

  private static String cookie(AccessRequest request, String name) {
    for (String header : request.headers("Cookie")) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          String value = pair.substring(eq + 1).trim();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          return value.isEmpty() ? null : value;
        }
      }
    }
    return null;
  }
}
