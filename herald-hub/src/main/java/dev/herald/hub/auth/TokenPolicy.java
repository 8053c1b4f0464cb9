package dev.herald.hub.auth;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.util.List;
import java.util.Objects;

/**
 * The Mercure protocol's access rules on OAuth 2.0 access tokens, the hub's default {@link
 * AccessPolicy}. The token comes from the {@code Authorization: Bearer} header, else the cookie
 * ({@link Builder#cookieName}), else the pre-1.0 {@code mercureAuthorization} cookie; a {@link
 * TokenVerifier} turns it into {@link Grants}:
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
 * <p>By default both generations of Mercure clients are served alike: a legacy token (pre-1.0, the
 * {@code mercure} claim, see {@link TokenVerifier}) is held to the same rules as an access token. A
 * {@linkplain Builder#strict strict} policy refuses legacy tokens ({@code 401 invalid_token}) and
 * the {@code mercureAuthorization} cookie ({@code 400 invalid_request}), each saying why.
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
  private final boolean strict;

  private TokenPolicy(Builder b) {
    this.verifier = b.verifier;
    this.anonymousSubscribers = b.anonymousSubscribers;
    this.anonymousPublishers = b.anonymousPublishers;
    this.credentials = new BearerCredentials(b.cookieName, b.strict);
    this.strict = b.strict;
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
    Grants grants = verifier.verify(token);
    if (strict && grants.isLegacy()) {
      throw new TokenException(
          TokenException.Error.INVALID_TOKEN,
          "a pre-1.0 token (typ JWT, the mercure claim), which this strict hub refuses: it takes"
              + " only RFC 9068 access tokens (typ at+jwt, authorization_details)");
    }
    return grants;
  }

  /** Builds a {@link TokenPolicy}. Not thread-safe. */
  public static final class Builder {
    private TokenVerifier verifier;
    private boolean anonymousSubscribers;
    private boolean anonymousPublishers;
    private String cookieName = DEFAULT_COOKIE_NAME;
    private boolean strict;

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

    /**
     * Whether to refuse what only pre-1.0 Mercure clients send: legacy tokens and the {@code
     * mercureAuthorization} cookie. Default off: both generations are accepted.
     *
     * @since 0.2
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** The policy. */
    public TokenPolicy build() {
      return new TokenPolicy(this);
    }
  }
}
