package dev.herald.hub;

import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.server.HeraldServer;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Active subscriptions (Mercure, "Active Subscriptions"), when enabled: a private update of type
 * {@code mercure} each time a subscription starts or ends, and the JSON subscription API.
 */
final class Subscriptions {
  private final Hub hub;
  private final Map<String, Subscriber> active = new ConcurrentHashMap<>();

  Subscriptions(Hub hub) {
    this.hub = hub;
  }

  /** Serves the subscription API (which answers 404 unless enabled). */
  void register(HeraldServer.Builder server, Authorization authorization) {
    String path = hub.config().path();
    server.get(path + "/subscriptions", request -> api(request, authorization));
    server.get(path + "/subscriptions/*", request -> api(request, authorization));
  }

  private boolean enabled() {
    return hub.config().subscriptionsApi();
  }

  /** A subscriber's stream started; its subscriptions end when the stream does. */
  void opened(Subscriber subscriber, SseStream stream) {
    if (!enabled()) {
      return;
    }
    active.put(subscriber.id(), subscriber);
    announce(subscriber, true);
    stream.onClose(
        () -> {
          active.remove(subscriber.id());
          announce(subscriber, false);
        });
  }

  private void announce(Subscriber subscriber, boolean isActive) {
    for (TopicMatcher m : subscriber.matchers()) {
      String topic = topic(m, subscriber);
      hub.append(
          new Update(
              List.of(topic),
              Json.write(document(m, subscriber, isActive)),
              true,
              null,
              "mercure",
              null));
    }
  }

  /** {@code /.well-known/mercure/subscriptions/{match_type}/{match}/{subscriber}}. */
  String topic(TopicMatcher m, Subscriber subscriber) {
    return hub.config().path()
        + "/subscriptions/"
        + m.type()
        + "/"
        + encode(m.value())
        + "/"
        + encode(subscriber.id());
  }

  private Map<String, Object> document(TopicMatcher m, Subscriber subscriber, boolean isActive) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", topic(m, subscriber));
    doc.put("type", "subscription");
    doc.put("match_type", m.type());
    doc.put("match", m.value());
    doc.put("subscriber", subscriber.id());
    doc.put("active", isActive);
    doc.put("since", subscriber.since().toString()); // an extension: when it connected
    subscriber.access().payloadFor(m).ifPresent(payload -> doc.put("payload", payload));
    return doc;
  }

  /** The subscription API: the collection, one matcher's collection, or one subscription. */
  Response api(Request request, Authorization authorization) {
    if (!enabled()) {
      return Response.text(404, "the subscription API is not enabled");
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (!hub.config().servesOpenDashboard()) { // a development hub's dashboard lists them
      try {
        authorization.readSubscriptions(request, path);
      } catch (AccessDeniedException e) {
        return authorization.refused(request, e);
      }
    }
    String base = hub.config().path() + "/subscriptions";
    String rest = path.length() > base.length() ? path.substring(base.length() + 1) : "";
    String[] parts = rest.isEmpty() ? new String[0] : rest.split("/", -1);
    String type = parts.length > 0 ? parts[0] : null;
    String match = parts.length > 1 ? decode(parts[1]) : null;
    String subscriberId = parts.length > 2 ? decode(parts[2]) : null;
    if (parts.length > 3
        || (parts.length >= 2 && match == null)
        || (parts.length == 3 && subscriberId == null)) {
      return Response.text(404, "no such subscription resource");
    }
    List<Map<String, Object>> found = new ArrayList<>();
    for (Subscriber s : active.values()) {
      if (subscriberId != null && !s.id().equals(subscriberId)) {
        continue;
      }
      for (TopicMatcher m : s.matchers()) {
        if ((type == null || m.type().equals(type)) && (match == null || m.value().equals(match))) {
          found.add(document(m, s, true));
        }
      }
    }
    String body;
    if (subscriberId != null) {
      if (found.isEmpty()) {
        return Response.text(404, "no such subscription");
      }
      body = Json.write(found.get(0));
    } else {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("id", path);
      doc.put("type", "subscriptions");
      doc.put("subscriptions", found);
      body = Json.write(doc);
    }
    String cursor = hub.lastEventId();
    return Response.builder(200)
        .header(
            "Link",
            "<"
                + hub.url()
                + ">; rel=\"mercure\"; last-event-id=\""
                + cursor.replace("\"", "%22")
                + "\"; type=\"mercure\"; content-type=\"application/json\"")
        .header("ETag", "\"" + cursor.replace("\"", "%22") + "\"")
        .header("Cache-Control", "must-revalidate")
        .body("application/json", body)
        .build();
  }

  /** RFC 6570 simple expansion: every byte but the unreserved characters percent-encoded. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decodes a path segment as UTF-8; null if it is not valid. */
  static String decode(String segment) {
    try {
      return FormData.percentDecode(segment);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
