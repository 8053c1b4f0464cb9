package dev.herald.spring.servlet;

import dev.herald.spring.HubDiscovery;
import dev.herald.spring.SubscriberAuthorization;
import dev.herald.spring.internal.HubHeaders;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;

/**
 * Spring MVC's helpers for a response that leads a browser to the hub: the discovery {@code Link}
 * header, and the subscriber cookie for the logged-in user's topics. Thread-safe.
 *
 * <pre>{@code
 * @GetMapping("/")
 * String page(HttpServletResponse response, Principal user) {
 *   hub.discover(response);
 *   hub.authorize(response, List.of("https://example.com/users/" + user.getName()));
 *   return "index";
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class HubResponses {
  private final HubHeaders headers;

  /** Helpers over {@code discovery} and {@code authorization} ({@code null} if no tokens). */
  public HubResponses(HubDiscovery discovery, SubscriberAuthorization authorization) {
    this.headers = new HubHeaders(discovery, authorization);
  }

  /** Adds {@code Link: <hub>; rel="mercure"}. */
  public void discover(HttpServletResponse response) {
    response.addHeader("Link", headers.link());
  }

  /**
   * Sets the cookie that lets this browser receive the private updates of {@code topics}.
   *
   * @throws IllegalStateException if no key to mint tokens is configured ({@code
   *     herald.hub.jwt-secret})
   */
  public void authorize(HttpServletResponse response, Collection<String> topics) {
    response.addHeader("Set-Cookie", headers.setCookie(topics));
  }

  /** Removes the cookie (at log-out). */
  public void deauthorize(HttpServletResponse response) {
    response.addHeader("Set-Cookie", headers.clearCookie());
  }
}
