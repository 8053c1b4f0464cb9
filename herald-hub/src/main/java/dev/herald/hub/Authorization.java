package dev.herald.hub;

import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.auth.AccessPolicy;
import dev.herald.hub.auth.ReadAccess;
import dev.herald.hub.auth.TokenException;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.server.Request;
import dev.herald.server.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's access policy over HTTP: asks the policy about a request, and turns a refusal into the
 * answer it describes — with an RFC 6750 challenge naming the protected resource metadata where the
 * refusal asks for one, and, for a refused token, an {@code error_description} saying why (expired,
 * wrong audience, untrusted issuer, bad signature, unknown key, malformed). Counts and logs refused
 * tokens at debug; neither the log nor the challenge ever holds a token, only the request's method
 * and path and the reason.
 */
final class Authorization {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  /** The longest {@code error_description} a challenge carries, in characters. */
  static final int MAX_DESCRIPTION = 200;

  private final Hub hub;
  private final AccessPolicy policy;

  Authorization(Hub hub) {
    this.hub = hub;
    this.policy = hub.config().policy();
  }

  /** See {@link AccessPolicy#subscribe}. */
  ReadAccess subscribe(Request request, List<TopicMatcher> matchers) {
    return policy.subscribe(new HttpAccessRequest(request, hub), List.copyOf(matchers));
  }

  /** See {@link AccessPolicy#publish}. */
  void publish(Request request, Update update) {
    policy.publish(new HttpAccessRequest(request, hub), update);
  }

  /** See {@link AccessPolicy#readSubscriptions}. */
  void readSubscriptions(Request request, String path) {
    policy.readSubscriptions(new HttpAccessRequest(request, hub), path);
  }

  /** The answer to {@code refusal} of {@code request}. */
  Response refused(Request request, AccessDeniedException refusal) {
    // Counts a token presented and refused (invalid_token, 401), as the hub always has; not a
    // malformed Authorization header (invalid_request, 400: no token), nor a token's lack of scope.
    if (refusal instanceof TokenException) {
      if (refusal.status() == 401) {
        hub.metrics().rejectedToken();
      }
      LOG.debug("{} {}: token refused: {}", request.method(), request.path(), refusal.getMessage());
    }
    if (!refusal.challenges()) {
      return Response.text(refusal.status(), refusal.description());
    }
    StringBuilder value = new StringBuilder("Bearer realm=\"mercure\"");
    if (refusal.errorCode() != null) {
      value.append(", error=\"").append(refusal.errorCode()).append('"');
    }
    if (refusal instanceof TokenException && refusal.getMessage() != null) {
      value.append(", error_description=\"").append(errorDescription(refusal.getMessage()));
      value.append('"');
    }
    value.append(", resource_metadata=\"").append(metadataUrl()).append('"');
    return Response.builder(refusal.status())
        .header("WWW-Authenticate", value.toString())
        .body("text/plain; charset=utf-8", refusal.description())
        .build();
  }

  /**
   * {@code reason} as an RFC 6750 {@code error_description}: only {@code %x20-21 / %x23-5B /
   * %x5D-7E} (no CR, LF, quote or backslash; anything else becomes {@code ?}), at most {@value
   * #MAX_DESCRIPTION} characters. A {@link TokenException}'s message says why a token is refused
   * and never holds the token.
   */
  static String errorDescription(String reason) {
    int length = Math.min(reason.length(), MAX_DESCRIPTION);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char c = reason.charAt(i);
      boolean allowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
      out.append(allowed ? c : '?');
    }
    return out.toString();
  }

  private String metadataUrl() {
    return hub.baseUrl() + OperationsEndpoint.metadataPath(hub.config().path());
  }
}
