package dev.herald.hub.auth;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.util.List;
import java.util.Objects;

/**
 * The Mercure protocol's access rules on OAuth 2.0 access tokens, the hub's default {@link
 * AccessPolicy}. The token comes from the {@code Authorization: Bearer} header, else the cookie
 * ({@link Builder#cookieName}); a {@link TokenVerifier} turns it into {@link Grants}:
 *
 * <ul>
 *   <li><b>subscribe</b>: with a valid token, or without one if anonymous subscribers are allowed
 *       ({@code 401} with a challenge otherwise); a token presented is always verified, and an
 *       invalid one refused ({@code 401 invalid_token}, {@code 400 invalid_request});
 *   <li><b>read</b>: every public update; a private one only with {@code subscribe} granted on one
 *       of its topics ({@link Grants#mayRead}); the subscription ends when the token expires;
 *   <li><b>publish</b>: with {@code publish} granted on every topic of the update ({@code 403
 *       insufficient_scope} otherwise), unless anonymous publishers are allowed; a token from the
 *       cookie only from a trusted origin ({@link AccessRequest#fromTrustedOrigin()}: CSRF, {@code
 *       403});
 *   <li><b>subscription API</b>: with {@code subscribe} granted on the requested path.
 * </ul>
 *
 * <p>Immutable and thread-safe. It does not close its verifier: whoever made the verifier does (the
 * hub closes the one it was given with {@code Hub.Builder.verifier}).
 *
 * @since 0.1
 */
public final class TokenPolicy implements AccessPolicy {
  /** The cookie that carries a browser's token by default: {@value}. */
  public static final String DEFAULT_COOKIE_NAME = "__Secure-mercure_access_token";

  private final TokenVerifier verifier;
  private final boolean anonymousSubscribers;
  private final boolean anonymousPublishers;
  private final BearerCredentials credentials;

  private TokenPolicy(Builder b) {
    this.verifier = b.verifier;
    this.anonymousSubscribers = b.anonymousSubscribers;
    this.anonymousPublishers = b.anonymousPublishers;
    this.credentials = new BearerCredentials(b.cookieName, b.compat);
  }

  /** A builder: no verifier (no token is valid), nobody anonymous, the default cookie. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ReadAccess subscribe(AccessRequest request, List<TopicMatcher> matchers) {
    Grants grants = grants(request);
    if (grants != null) {
      return grants;
    }
    if (!anonymousSubscribers) {
      throw AccessDeniedException.unauthenticated("an access token is required to subscribe");
    }
    return Grants.none();
  }

  @Override
  public void publish(AccessRequest request, Update update) {
    if (anonymousPublishers) {
      return;
    }
    Grants grants = grants(request);
    if (grants == null) {
      throw AccessDeniedException.unauthenticated("an access token is required to publish");
    }
    if (BearerCredentials.fromCookie(request) && !request.fromTrustedOrigin()) {
      throw AccessDeniedException.forbidden(
          "a cookie-authorized publish needs a matching Origin or Referer");
    }
    for (String topic : update.topics()) {
      if (!grants.mayPublish(topic)) {
        throw AccessDeniedException.insufficientScope("the token may not publish to " + topic);
      }
    }
  }

  @Override
  public void readSubscriptions(AccessRequest request, String path) {
    Grants grants = grants(request);
    if (grants == null) {
      throw AccessDeniedException.unauthenticated("an access token is required");
    }
    if (!grants.maySubscribe(path)) {
      throw AccessDeniedException.insufficientScope(
          "the token may not read the subscriptions at " + path);
    }
  }

  /** Private updates: only they may be refused to a subscriber of their topic. */
  @Override
  public boolean restricts(Update update) {
    return update.isPrivate();
  }

  /**
   * The grants of the request's token; {@code null} if it presents none.
   *
   * @throws TokenException if the token is malformed or invalid, or there is no verifier
   */
  private Grants grants(AccessRequest request) {
    String token = credentials.token(request);
    if (token == null) {
      return null;
    }
    if (verifier == null) {
      throw new TokenException(TokenException.Error.INVALID_TOKEN, "the hub has no keys");
    }
    return verifier.verify(token);
  }

  /** Builds a {@link TokenPolicy}. Not thread-safe. */
  public static final class Builder {
    private TokenVerifier verifier;
    private boolean anonymousSubscribers;
    private boolean anonymousPublishers;
    private String cookieName = DEFAULT_COOKIE_NAME;
    private boolean compat;

    private Builder() {}

    /** Verifies the tokens presented; without one (the default), no token is valid. */
    public Builder verifier(TokenVerifier verifier) {
      this.verifier = verifier;
      return this;
    }

    /** Whether subscribers without a token may subscribe (to public updates); default no. */
    public Builder anonymousSubscribers(boolean allowed) {
      this.anonymousSubscribers = allowed;
      return this;
    }

    /**
     * Whether anyone may publish without a token (no token is then even read); default no. Only for
     * hubs no untrusted client can reach.
     */
    public Builder anonymousPublishers(boolean allowed) {
      this.anonymousPublishers = allowed;
      return this;
    }

    /** The cookie that carries a browser's token; default {@value #DEFAULT_COOKIE_NAME}. */
    public Builder cookieName(String name) {
      this.cookieName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Compatibility mode: also the pre-1.0 {@code mercureAuthorization} cookie. Default off. */
    public Builder compat(boolean enabled) {
      this.compat = enabled;
      return this;
    }

    /** The policy. */
    public TokenPolicy build() {
      return new TokenPolicy(this);
    }
  }
}
