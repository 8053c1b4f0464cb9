package dev.herald.spring.internal;

import dev.herald.spring.HubDiscovery;
import dev.herald.spring.SubscriberAuthorization;
import java.util.Collection;
import java.util.Objects;

/**
 * Not API (see the {@linkplain dev.herald.spring.internal package}): the header values that both
 * stacks' {@code HubResponses} add, each of which only says how a header is set on its response.
 * Immutable and thread-safe.
 */
public final class HubHeaders {
  private final HubDiscovery discovery;
  private final SubscriberAuthorization authorization;

  /** The values of {@code discovery} and {@code authorization} ({@code null} if no tokens). */
  public HubHeaders(HubDiscovery discovery, SubscriberAuthorization authorization) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.authorization = authorization;
  }

  /** The {@code Link} value, {@code <hub>; rel="mercure"}. */
  public String link() {
    return discovery.link();
  }

  /**
   * The {@code Set-Cookie} value that lets a browser receive the private updates of {@code topics}.
   *
   * @throws IllegalStateException if no key to mint tokens is configured
   */
  public String setCookie(Collection<String> topics) {
    return authorization().setCookie(topics);
  }

  /**
   * The {@code Set-Cookie} value that removes the cookie.
   *
   * @throws IllegalStateException if no key to mint tokens is configured
   */
  public String clearCookie() {
    return authorization().clearCookie();
  }

  private SubscriberAuthorization authorization() {
    if (authorization == null) {
      throw new IllegalStateException("no subscriber tokens: set herald.hub.jwt-secret");
    }
    return authorization;
  }
}
