package dev.herald.spring;

import dev.herald.publisher.HubTokens;
import dev.herald.publisher.SubscriberCookie;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Authorizes the logged-in user's browser at the hub: mints a subscriber token for chosen topics
 * and makes the cookie that carries it to the hub ({@link SubscriberCookie}), so that the page's
 * {@code EventSource} receives the user's private updates. The cookie lasts as long as the token.
 *
 * <pre>{@code
 * response.addHeader("Set-Cookie", authorization.setCookie(List.of("https://example.com/users/" + user)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class SubscriberAuthorization {
  private final HubTokens tokens;
  private final String hubUrl;
  private final Duration ttl;
  private final String cookieName;
  private final String cookieDomain;
  private final SubscriberCookie.SameSite sameSite;

  /**
   * Authorization by tokens of {@code tokens} (which must last {@code ttl}) for the hub at {@code
   * hubUrl}, in a cookie named {@code cookieName} ({@code null}: {@link
   * SubscriberCookie#defaultName}) with the given domain ({@code null}: none) and {@code sameSite}.
   */
  public SubscriberAuthorization(
      HubTokens tokens,
      String hubUrl,
      Duration ttl,
      String cookieName,
      String cookieDomain,
      SubscriberCookie.SameSite sameSite) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.hubUrl = Objects.requireNonNull(hubUrl, "hubUrl");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.cookieName = cookieName;
    this.cookieDomain = cookieDomain;
    this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
  }

  /** A token that may receive the private updates of {@code topics}. */
  public String token(Collection<String> topics) {
    return tokens.subscriber(topics);
  }

  /** A token for {@code subject} that may receive the private updates of {@code topics}. */
  public String token(Collection<String> topics, String subject, Map<String, ?> payload) {
    return tokens.subscriber(topics, subject, payload);
  }

  /** The cookie carrying a token for {@code topics}. */
  public SubscriberCookie cookie(Collection<String> topics) {
    return cookieOf(token(topics));
  }

  /** The {@code Set-Cookie} value carrying a token for {@code topics}. */
  public String setCookie(Collection<String> topics) {
    return cookie(topics).setCookie();
  }

  /** The {@code Set-Cookie} value that removes the cookie (at log-out). */
  public String clearCookie() {
    return cookieOf("-").clearCookie();
  }

  private SubscriberCookie cookieOf(String token) {
    SubscriberCookie.Builder b =
        SubscriberCookie.builder(hubUrl, token).sameSite(sameSite).maxAge(ttl);
    if (cookieName != null) {
      b.name(cookieName);
    }
    if (cookieDomain != null) {
      b.domain(cookieDomain);
    }
    return b.build();
  }
}
