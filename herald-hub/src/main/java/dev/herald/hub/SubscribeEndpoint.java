package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.auth.ReadAccess;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.store.UpdateStoreException;
import dev.herald.server.HeraldServer;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribe ({@code GET} at the hub's path): reads the topic matchers ({@code match}, {@code
 * match_exact}, {@code match_urlpattern}, and the pre-1.0 {@code topic} unless strict) and the last
 * event ID ({@link Reconciliation#requested}), asks the access policy, and hands its stream to the
 * broadcaster — at once when it starts live, or on a replay thread when it resumes from a last
 * event ID (history may be read from the store, which may block; the response head waits
 * meanwhile). Ends the stream when the subscriber's access expires (its token) or at the maximum
 * connection lifetime.
 */
final class SubscribeEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  /** The pre-1.0 subscribe parameter: a URI template, {@code *}, or an exact topic. */
  static final String LEGACY_TOPIC_PARAM = "topic";

  private final Hub hub;
  private final HubConfig config;
  private final Authorization authorization;

  SubscribeEndpoint(Hub hub, Authorization authorization) {
    this.hub = hub;
    this.config = hub.config();
    this.authorization = authorization;
  }

  void register(HeraldServer.Builder server) {
    // No query parameter for the server to read: the last event ID is Reconciliation's rule.
    server.sse(config.path(), this::subscribe);
  }

  private void subscribe(Request request, SseStream stream) {
    List<Map.Entry<String, String>> params;
    try {
      params = FormData.parseQuery(rawQuery(request));
    } catch (IllegalArgumentException e) {
      stream.reject(400, "the query is not valid UTF-8");
      return;
    }
    String lastEventId;
    try {
      lastEventId = Reconciliation.requested(stream.lastEventId(), params, config.strict());
    } catch (IllegalArgumentException strictRefusal) {
      stream.reject(400, strictRefusal.getMessage());
      return;
    }
    List<TopicMatcher> matchers = new ArrayList<>();
    String problem = readMatchers(params, hub, matchers);
    if (problem != null) {
      stream.reject(400, problem);
      return;
    }
    ReadAccess access;
    try {
      access = authorization.subscribe(request, matchers);
    } catch (AccessDeniedException e) {
      stream.reject(authorization.refused(request, e));
      return;
    }
    Subscriber subscriber = new Subscriber(Ids.subscriber(), matchers, access);
    hub.patterns().add(subscriber);
    stream.onClose(() -> hub.patterns().remove(subscriber));
    hub.track(stream);
    scheduleEnd(stream, access);
    if (lastEventId == null) {
      hub.broadcaster().subscribe(stream, subscriber, null); // no history read: cannot block
      hub.subscriptions().opened(subscriber, stream);
      return;
    }
    stream.holdHeaders();
    try {
      hub.replays().execute(() -> resume(stream, subscriber, lastEventId));
    } catch (RejectedExecutionException stopping) {
      stream.reject(503, "the hub is stopping");
    }
  }

  /**
   * Reads the topic matchers of {@code request}'s query into {@code matchers}, as a subscribe
   * request gives them; returns what is wrong with them (the text of a {@code 400}), or {@code
   * null}.
   */
  static String readMatchers(Request request, Hub hub, List<TopicMatcher> matchers) {
    List<Map.Entry<String, String>> params;
    try {
      params = FormData.parseQuery(rawQuery(request));
    } catch (IllegalArgumentException e) {
      return "the query is not valid UTF-8";
    }
    return readMatchers(params, hub, matchers);
  }

  /**
   * Reads the topic matchers of a query's {@code params} into {@code matchers}: {@code match},
   * {@code match_exact}, {@code match_urlpattern} and, unless the hub is strict, the pre-1.0 {@code
   * topic} (a URI template); returns what is wrong with them (the text of a {@code 400}), or {@code
   * null}.
   */
  private static String readMatchers(
      List<Map.Entry<String, String>> params, Hub hub, List<TopicMatcher> matchers) {
    HubConfig config = hub.config();
    for (Map.Entry<String, String> p : params) {
      String name = p.getKey();
      String type = matcherType(name);
      if (type == null && name.equals(LEGACY_TOPIC_PARAM)) {
        if (config.strict()) {
          return "topic= is the pre-1.0 Mercure parameter, which this strict hub refuses: send"
              + " match= or match_urlpattern=";
        }
        type = TopicMatcher.URITEMPLATE;
      }
      if (type == null) {
        if (name.toLowerCase(Locale.ROOT).startsWith("match")) {
          return "unsupported matcher parameter: " + name;
        }
        continue; // a last event ID (read by Reconciliation), or an extension's parameter
      }
      if (matchers.size() == config.maxMatchers()) {
        return "more than " + config.maxMatchers() + " topic matchers";
      }
      try {
        matchers.add(
            type.equals(TopicMatcher.URITEMPLATE)
                ? TopicMatcher.legacy(p.getValue())
                : TopicMatcher.of(type, p.getValue(), hub.url()));
      } catch (IllegalArgumentException e) {
        return "invalid " + name + " value: " + e.getMessage();
      }
    }
    if (matchers.isEmpty()) {
      return config.strict()
          ? "at least one match, match_exact or match_urlpattern parameter is required"
          : "at least one match, match_exact, match_urlpattern or (pre-1.0) topic parameter is"
              + " required";
    }
    return null;
  }

  /** On a replay thread: reads history (may block), then lets the head go. */
  private void resume(SseStream stream, Subscriber subscriber, String lastEventId) {
    try {
      Reconciliation.Resumption resumption = Reconciliation.resolve(lastEventId, hub.log());
      if (resumption.gap()) {
        hub.broadcaster().subscribe(stream, subscriber, null);
      } else {
        hub.broadcaster().subscribeAfter(stream, subscriber, resumption.after().get());
      }
      stream.header("Mercure-Last-Event-ID", resumption.answer());
      stream.sendHeaders();
      if (resumption.gap() && config.gapEvents()) {
        stream.send(
            SseEvent.builder()
                .type("herald-gap")
                .data(
                    "{\"requested\":"
                        + Json.quote(lastEventId)
                        + ",\"resumedFrom\":\""
                        + Reconciliation.EARLIEST
                        + "\"}")
                .build());
      }
      hub.subscriptions().opened(subscriber, stream);
    } catch (RuntimeException e) {
      boolean unavailable = e instanceof UpdateStoreException;
      if (unavailable) {
        LOG.warn("replay for a subscriber failed: {}", e.getMessage()); // says why, no trace
      } else {
        LOG.error("replay for a subscriber failed", e);
      }
      try {
        // The store's failure is the publishes' rule: 503, try again in a second.
        stream.reject(
            unavailable
                ? Response.builder(503)
                    .header("Retry-After", "1")
                    .body("text/plain; charset=utf-8", "the history cannot be read now")
                    .build()
                : Response.text(500, "replay failed"));
      } catch (IllegalStateException alreadySent) {
        stream.close();
      }
    }
  }

  /** Closes the stream when its access expires, or at the configured maximum lifetime. */
  private void scheduleEnd(SseStream stream, ReadAccess access) {
    Instant end = access.expiresAt();
    if (config.maxConnectionLifetime() != null) {
      Instant limit = Instant.now().plus(config.maxConnectionLifetime());
      end = end == null || limit.isBefore(end) ? limit : end;
    }
    if (end == null) {
      return;
    }
    long delay = Math.max(0, Duration.between(Instant.now(), end).toMillis());
    try {
      ScheduledFuture<?> timer = hub.timers().schedule(stream::close, delay, TimeUnit.MILLISECONDS);
      stream.onClose(() -> timer.cancel(false));
    } catch (RejectedExecutionException stopping) {
      stream.close();
    }
  }

  /** The matcher type a subscribe parameter names, or null if it names none. */
  private static String matcherType(String name) {
    switch (name) {
      case "match":
      case "match_exact":
        return TopicMatcher.EXACT;
      case "match_urlpattern":
        return TopicMatcher.URLPATTERN;
      default:
        return null;
    }
  }

  static String rawQuery(Request request) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    if (q < 0) {
      return "";
    }
    int hash = uri.indexOf('#', q);
    return hash < 0 ? uri.substring(q + 1) : uri.substring(q + 1, hash);
  }
}
