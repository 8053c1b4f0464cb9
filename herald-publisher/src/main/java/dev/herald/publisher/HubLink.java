package dev.herald.publisher;

import java.util.Objects;

/**
 * The {@code Link} header value by which a resource names the hub its updates come from (Mercure,
 * "Discovery"): {@code <https://example.com/.well-known/mercure>; rel="mercure"}. A page or client
 * reads it to know where to subscribe.
 *
 * @since 0.2
 */
public final class HubLink {
  private HubLink() {}

  /**
   * {@code <hubUrl>; rel="mercure"}.
   *
   * @throws IllegalArgumentException if the URL holds {@code <}, {@code >}, a quote or a control
   *     character
   */
  public static String of(String hubUrl) {
    Objects.requireNonNull(hubUrl, "hubUrl");
    for (int i = 0; i < hubUrl.length(); i++) {
      char c = hubUrl.charAt(i);
      if (c < ' ' || c == 0x7f || c == '<' || c == '>' || c == '"') {
        throw new IllegalArgumentException("a Link target may not hold this character: " + hubUrl);
      }
    }
    return "<" + hubUrl + ">; rel=\"mercure\"";
  }
}
