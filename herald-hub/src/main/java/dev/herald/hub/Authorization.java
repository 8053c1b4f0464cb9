package dev.herald.hub;

import dev.herald.hub.auth.Grants;
import dev.herald.hub.auth.TokenException;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.server.Request;
import dev.herald.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's authorization over HTTP: the token a request presents (the {@code Authorization}
 * header, else the cookie), its grants, the CSRF check of cookie-authorized requests, and the RFC
 * 6750 answers to a refusal, whose challenge names the protected resource metadata.
 *
 * <p>Logs never hold a token: a refusal is logged with the request's method and path only.
 */
final class Authorization {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  private static final String COMPAT_COOKIE = "mercureAuthorization";

  private final Hub hub;
  private final HubConfig config;

  Authorization(Hub hub) {
    this.hub = hub;
    this.config = hub.config();
  }

  /** A token the request presents: the Authorization header's, else the cookie's; or null. */
  private String token(Request request) throws TokenException {
    String authorization = request.header("Authorization");
    if (authorization != null) {
      return TokenVerifier.bearer(authorization); // the header wins; any cookie is ignored
    }
    String token = cookie(request, config.cookieName());
    if (token == null && config.compat()) {
      token = cookie(request, COMPAT_COOKIE);
    }
    return token;
  }

  private static String cookie(Request request, String name) {
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

  /** Whether a token would come from the cookie: the request has no Authorization header. */
  boolean usesCookie(Request request) {
    return request.header("Authorization") == null;
  }

  /** The grants of the request's token; null if it presents none. */
  Grants grants(Request request) throws TokenException {
    String token = token(request);
    if (token == null) {
      return null;
    }
    TokenVerifier verifier = config.verifier();
    if (verifier == null) {
      throw new TokenException(TokenException.Error.INVALID_TOKEN, "the hub has no keys");
    }
    try {
      return verifier.verify(token);
    } catch (TokenException e) {
      hub.metrics().rejectedToken();
      LOG.debug("{} {}: token refused: {}", request.method(), request.path(), e.getMessage());
      throw e;
    }
  }

  /**
   * CSRF defence for cookie-authorized publishes: the Origin (or else the Referer) must be the
   * hub's own origin or an allowed CORS origin.
   */
  boolean sameOrigin(Request request) {
    String origin = request.header("Origin");
    if (origin == null) {
      String referer = request.header("Referer");
      if (referer == null) {
        return false;
      }
      try {
        java.net.URI r = java.net.URI.create(referer);
        origin = r.getScheme() + "://" + r.getRawAuthority();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (origin.equals(hub.baseUrl()) || config.server().corsOrigins().contains(origin)) {
      return true;
    }
    String host = request.header("Host");
    return host != null && (origin.equals("https://" + host) || origin.equals("http://" + host));
  }

  /** An RFC 6750 challenge: {@code WWW-Authenticate: Bearer} naming the resource metadata. */
  Response challenge(int status, String error, String description) {
    StringBuilder value = new StringBuilder("Bearer realm=\"mercure\"");
    if (error != null) {
      value.append(", error=\"").append(error).append('"');
    }
    value.append(", resource_metadata=\"").append(metadataUrl()).append('"');
    return Response.builder(status)
        .header("WWW-Authenticate", value.toString())
        .body("text/plain; charset=utf-8", description)
        .build();
  }

  /** The answer to a token refused: its RFC 6750 error and status. */
  Response refused(TokenException e) {
    String description =
        e.error() == TokenException.Error.INVALID_REQUEST
            ? "malformed access token presentation"
            : "invalid access token";
    return challenge(e.error().status(), e.error().code(), description);
  }

  private String metadataUrl() {
    return hub.baseUrl() + OperationsEndpoint.metadataPath(config.path());
  }
}
