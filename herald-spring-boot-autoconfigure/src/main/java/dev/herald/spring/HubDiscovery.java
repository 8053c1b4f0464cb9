package dev.herald.spring;

import dev.herald.publisher.HubLink;
import java.util.Objects;

/**
 * The hub's URL as browsers reach it, and the {@code Link} header value by which a response names
 * it ({@code <url>; rel="mercure"}). Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class HubDiscovery {
  private final String hubUrl;
  private final String link;

  /** Discovery of the hub at {@code hubUrl}. */
  public HubDiscovery(String hubUrl) {
    this.hubUrl = Objects.requireNonNull(hubUrl, "hubUrl");
    this.link = HubLink.of(hubUrl);
  }

  /** The hub's URL. */
  public String hubUrl() {
    return hubUrl;
  }

  /** {@code <url>; rel="mercure"}. */
  public String link() {
    return link;
  }
}
