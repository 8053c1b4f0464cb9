package dev.herald.hub;

import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.ActiveSubscription;
import dev.herald.hub.store.SubscriptionDirectory;
import dev.herald.server.HeraldServer;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active subscriptions (Mercure, "Active Subscriptions"), when enabled: a private update of type
 * {@code mercure} each time a subscription starts or ends, and the JSON subscription API. The
 * events are updates like any other, so in a cluster they reach every node through the shared log;
 * the API lists what the hub's {@link SubscriptionDirectory} holds (every node's subscriptions when
 * the directory is shared), answered when the directory's lookup completes, never blocking the
 * event loop.
 */
final class Subscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final Hub hub;
  private final SubscriptionDirectory directory;

  Subscriptions(Hub hub, SubscriptionDirectory directory) {
    this.hub = hub;
    this.directory = directory;
  }

  /** Serves the subscription API (which answers 404 unless enabled). */
  void register(HeraldServer.Builder server, Authorization authorization) {
    String path = hub.config().path();
    server.routeAsync("GET", path + "/subscriptions", request -> api(request, authorization));
    server.routeAsync("GET", path + "/subscriptions/*", request -> api(request, authorization));
  }

  private boolean enabled() {
    return hub.config().subscriptionsApi();
  }

  /** A subscriber's stream started; its subscriptions end when the stream does. */
  void opened(Subscriber subscriber, SseStream stream) {
    if (!enabled()) {
      return;
    }
    List<ActiveSubscription> entries = new ArrayList<>();
    for (TopicMatcher m : subscriber.matchers()) {
      ActiveSubscription entry =
          new ActiveSubscription(
              topic(m, subscriber),
              subscriber.id(),
              m.type(),
              m.value(),
              Json.write(document(m, subscriber, true)));
      entries.add(entry);
      directory.add(entry);
    }
    announce(subscriber, true);
    stream.onClose(
        () -> {
          entries.forEach(directory::remove);
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
    doc.put("node", hub.nodeName()); // an extension: the node that serves it
    subscriber.access().payloadFor(m).ifPresent(payload -> doc.put("payload", payload));
    return doc;
  }

  /** The subscription API: the collection, one matcher's collection, or one subscription. */
  CompletionStage<Response> api(Request request, Authorization authorization) {
    if (!enabled()) {
      return done(Response.text(404, "the subscription API is not enabled"));
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (!hub.config().servesOpenDashboard()) { // a development hub's dashboard lists them
      try {
        authorization.readSubscriptions(request, path);
      } catch (AccessDeniedException e) {
        return done(authorization.refused(request, e));
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
      return done(Response.text(404, "no such subscription resource"));
    }
    // The cursor before the lookup: a client that subscribes to the events from it misses none.
    String cursor = hub.lastEventId();
    return directory
        .find(type, match, subscriberId)
        .handle(
            (found, failure) ->
                failure != null
                    ? unavailable(failure)
                    : listing(path, subscriberId, found, cursor));
  }

  private Response listing(
      String path, String subscriberId, List<ActiveSubscription> found, String cursor) {
    String body;
    if (subscriberId != null) {
      if (found.isEmpty()) {
        return Response.text(404, "no such subscription");
      }
      body = found.get(0).json();
    } else {
      StringJoiner list =
          new StringJoiner(
              ",",
              "{\"id\":" + Json.quote(path) + ",\"type\":\"subscriptions\",\"subscriptions\":[",
              "]}");
      for (ActiveSubscription s : found) {
        list.add(s.json());
      }
      body = list.toString();
    }
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

  private static Response unavailable(Throwable failure) {
    LOG.warn("the subscription directory could not be read: {}", failure.toString());
    return Response.builder(503)
        .header("Retry-After", "1")
        .body("text/plain; charset=utf-8", "the subscription directory cannot be read now")
        .build();
  }

  private static CompletionStage<Response> done(Response response) {
    return CompletableFuture.completedFuture(response);
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
