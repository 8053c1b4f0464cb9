package dev.herald.hub;

import dev.herald.hub.mercure.Topics;
import java.util.Objects;

/**
 * Builds the {@code Link} header values by which a publisher advertises its hub (Mercure,
 * "Discovery"): {@code Link: <https://hub.example.com/.well-known/mercure>; rel="mercure"}.
 *
 * <pre>{@code
 * response.header("Link", Discovery.link(hub.url(), hub.lastEventId(), "application/ld+json", null));
 * }</pre>
 *
 * @since 0.1
 */
public final class Discovery {
  private Discovery() {}

  /** {@code <hubUrl>; rel="mercure"}. */
  public static String link(String hubUrl) {
    return link(hubUrl, null, null, null);
  }

  /**
   * {@code <hubUrl>; rel="mercure"} with the optional target attributes: {@code last-event-id} (the
   * last update the publisher knows of when it generated the resource, which subscribers pass back
   * as {@code last_event_id}), {@code content-type} of the updates and their SSE {@code type};
   * {@code null} leaves an attribute out.
   *
   * @throws IllegalArgumentException if a value holds a control character, or {@code type} is the
   *     reserved {@code mercure}
   */
  public static String link(String hubUrl, String lastEventId, String contentType, String type) {
    Objects.requireNonNull(hubUrl, "hubUrl");
    if ("mercure".equals(type)) {
      throw new IllegalArgumentException("the type mercure is reserved for the hub's own events");
    }
    StringBuilder link = new StringBuilder("<").append(url(hubUrl)).append(">; rel=\"mercure\"");
    attribute(link, "last-event-id", lastEventId);
    attribute(link, "content-type", contentType);
    attribute(link, "type", type);
    return link.toString();
  }

  /** {@code <topicUrl>; rel="self"}: the canonical topic of a resource. */
  public static String self(String topicUrl) {
    return "<" + url(Objects.requireNonNull(topicUrl, "topicUrl")) + ">; rel=\"self\"";
  }

  private static void attribute(StringBuilder link, String name, String value) {
    if (value != null) {
      String escaped = check(value).replace("\\", "\\\\").replace("\"", "\\\"");
      link.append("; ").append(name).append("=\"").append(escaped).append('"');
    }
  }

  private static String check(String value) {
    String invalid = Topics.invalidCharacter(value);
    if (invalid != null) {
      throw new IllegalArgumentException("a Link value " + invalid);
    }
    return value;
  }

  /** A link target: besides the character rules, no {@code <} or {@code >}, which delimit it. */
  private static String url(String value) {
    if (value.indexOf('<') >= 0 || value.indexOf('>') >= 0) {
      throw new IllegalArgumentException("a Link target may not hold < or >: " + value);
    }
    return check(value);
  }
}
