package dev.herald.hub.auth;

/**
 * Where the Mercure protocol reads a request's access token: the {@code Authorization: Bearer}
 * header, else a cookie (in compatibility mode also the pre-1.0 {@code mercureAuthorization} one).
 * The header wins: with one, any cookie is ignored. Immutable.
 */
final class BearerCredentials {
  static final String COMPAT_COOKIE = "mercureAuthorization";

  private final String cookieName;
  private final boolean compat;

  BearerCredentials(String cookieName, boolean compat) {
    this.cookieName = cookieName;
    this.compat = compat;
  }

  /**
   * The token the request presents, or {@code null} if none.
   *
   * @throws TokenException ({@code invalid_request}) if the Authorization header is malformed
   */
  String token(AccessRequest request) {
    String authorization = request.header("Authorization");
    if (authorization != null) {
      return TokenVerifier.bearer(authorization); // the header wins; any cookie is ignored
    }
    String token = cookie(request, cookieName);
    if (token == null && compat) {
      token = cookie(request, COMPAT_COOKIE);
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
