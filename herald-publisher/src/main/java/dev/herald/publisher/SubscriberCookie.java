package dev.herald.publisher;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code Set-Cookie} value that hands a browser its subscriber token, so that an {@code
 * EventSource} (which cannot send headers) is authorized by the hub — what Symfony's {@code
 * Authorization::setCookie} does. The cookie is scoped to the hub: its path is the hub URL's path
 * ({@code /.well-known/mercure}), it is {@code HttpOnly} (no script reads the token), {@code
 * SameSite=Strict} by default, {@code Secure} when the hub is served over https, and it has a
 * {@code Domain} only if given (a hub on a sibling host, such as {@code hub.example.com} for {@code
 * www.example.com}, needs {@code example.com}).
 *
 * <p>Its name is Mercure's {@value #SECURE_NAME} for an https hub, which browsers accept only with
 * {@code Secure}, and the pre-1.0 {@value #LEGACY_NAME} for an http one (development); a hub must
 * read the same name (Herald's hub: {@code --cookie-name}; the Spring Boot starter's embedded hub
 * does).
 *
 * <pre>{@code
 * response.addHeader("Set-Cookie",
 *     SubscriberCookie.builder(hubUrl, tokens.subscriber(topics)).build().setCookie());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class SubscriberCookie {
  /** The cookie's name for an https hub, as Mercure 1.0 names it. */
  public static final String SECURE_NAME = "__Secure-mercure_access_token";

  /** The cookie's name for an http hub: the pre-1.0 name, which needs no {@code Secure}. */
  public static final String LEGACY_NAME = "mercureAuthorization";

  /** A cookie's {@code SameSite} attribute. */
  public enum SameSite {
    /** Sent only on requests from the same site. */
    STRICT,
    /** Also sent on top-level navigations from other sites. */
    LAX,
    /** Sent on every request; requires {@code Secure}. */
    NONE
  }

  private final String name;
  private final String token;
  private final String path;
  private final String domain;
  private final boolean secure;
  private final SameSite sameSite;
  private final Duration maxAge;

  private SubscriberCookie(Builder b) {
    this.name = b.name != null ? b.name : defaultName(b.hubUrl);
    this.token = b.token;
    this.path =
        b.hubUrl.getRawPath() == null || b.hubUrl.getRawPath().isEmpty()
            ? "/"
            : b.hubUrl.getRawPath();
    this.domain = b.domain;
    this.secure = "https".equals(b.hubUrl.getScheme()) || name.startsWith("__Secure-");
    this.sameSite = b.sameSite;
    this.maxAge = b.maxAge;
    if (sameSite == SameSite.NONE && !secure) {
      throw new IllegalStateException("SameSite=None needs Secure, that is an https hub");
    }
  }

  /** The cookie name a hub at {@code hubUrl} is given by default. */
  public static String defaultName(URI hubUrl) {
    return "https".equals(hubUrl.getScheme()) ? SECURE_NAME : LEGACY_NAME;
  }

  /** A builder of the cookie carrying {@code token} for the hub at {@code hubUrl}. */
  public static Builder builder(String hubUrl, String token) {
    return new Builder(URI.create(Objects.requireNonNull(hubUrl, "hubUrl")), token);
  }

  /** The cookie's name. */
  public String name() {
    return name;
  }

  /** The {@code Set-Cookie} header value that sets the cookie. */
  public String setCookie() {
    return header(token, maxAge);
  }

  /** The {@code Set-Cookie} header value that removes the cookie (at log-out). */
  public String clearCookie() {
    return header("", Duration.ZERO);
  }

  private String header(String value, Duration age) {
    StringBuilder cookie = new StringBuilder(name).append('=').append(value);
    cookie.append("; Path=").append(path);
    if (domain != null) {
      cookie.append("; Domain=").append(domain);
    }
    if (age != null) {
      cookie.append("; Max-Age=").append(age.toSeconds());
    }
    if (secure) {
      cookie.append("; Secure");
    }
    cookie.append("; HttpOnly");
    String site = sameSite.name().toLowerCase(Locale.ROOT);
    cookie
        .append("; SameSite=")
        .append(Character.toUpperCase(site.charAt(0)))
        .append(site, 1, site.length());
    return cookie.toString();
  }

  @Override
  public String toString() {
    return "SubscriberCookie[" + name + ", path " + path + "]"; // never the token
  }

  /** Builds a {@link SubscriberCookie}. Not thread-safe. */
  public static final class Builder {
    private final URI hubUrl;
    private final String token;
    private String name;
    private String domain;
    private SameSite sameSite = SameSite.STRICT;
    private Duration maxAge;

    private Builder(URI hubUrl, String token) {
      if (!"http".equals(hubUrl.getScheme()) && !"https".equals(hubUrl.getScheme())) {
        throw new IllegalArgumentException("hubUrl: not http or https: " + hubUrl);
      }
      this.hubUrl = hubUrl;
      this.token = checkValue("token", Objects.requireNonNull(token, "token"));
    }

    /** The cookie's name (default {@link SubscriberCookie#defaultName}). */
    public Builder name(String name) {
      this.name = checkValue("name", Objects.requireNonNull(name, "name"));
      if (name.isEmpty() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("name: empty or holding '='");
      }
      return this;
    }

    /** The cookie's {@code Domain} (default none: the host that set it). */
    public Builder domain(String domain) {
      this.domain = checkValue("domain", Objects.requireNonNull(domain, "domain"));
      return this;
    }

    /** The cookie's {@code SameSite} (default {@link SameSite#STRICT}). */
    public Builder sameSite(SameSite sameSite) {
      this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
      return this;
    }

    /**
     * The cookie's {@code Max-Age} (default none: it lasts the browser session); match it to the
     * token's lifetime.
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("maxAge: negative");
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * The cookie.
     *
     * @throws IllegalStateException for {@code SameSite=None} without {@code Secure}
     */
    public SubscriberCookie build() {
      return new SubscriberCookie(this);
    }

    /** A cookie value or attribute: visible ASCII except {@code ;}, {@code ,}, quotes, spaces. */
    private static String checkValue(String what, String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c <= ' ' || c >= 0x7f || c == ';' || c == ',' || c == '"' || c == '\\') {
          throw new IllegalArgumentException(what + ": a character a cookie may not hold");
        }
      }
      return value;
    }
  }
}
