package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.hub.auth.Grants;
import dev.herald.hub.auth.TokenException;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.server.HeraldServer;
import dev.herald.server.Replay;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mercure protocol over HTTP: subscribe ({@code GET}), publish ({@code POST}), the protected
 * resource metadata, health and metrics. Nothing here blocks an event loop: replays that may read
 * the store run on the hub's replay threads, publishes wait for the store asynchronously.
 *
 * <p>Logs never hold a token: requests are named by method and path only (the server's access log,
 * at DEBUG, likewise leaves out the query and every header).
 */
final class MercureEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  private static final String COMPAT_COOKIE = "mercureAuthorization";

  private final Hub hub;
  private final HubConfig config;

  MercureEndpoint(Hub hub) {
    this.hub = hub;
    this.config = hub.config();
  }

  void register(HeraldServer.Builder server) {
    String path = config.path();
    server.sse(path, this::subscribe);
    server.routeAsync("POST", path, this::publish);
    server.get(metadataPath(), request -> metadata());
    server.get(path + "/subscriptions", request -> hub.subscriptions().api(request, this));
    server.get(path + "/subscriptions/*", request -> hub.subscriptions().api(request, this));
    if (config.dashboard()) {
      server.get("/stats", request -> stats());
    }
    // Probes are answered even past the connection limit: a full hub is alive, just not ready.
    server.probe("/healthz", request -> Response.text(200, "ok"));
    server.probe("/readyz", request -> readiness());
    server.get("/metrics", request -> metrics());
  }

  /** The Prometheus text of the hub's meters; 404 if they go to a registry of another kind. */
  private Response metrics() {
    if (hub.prometheus() == null) {
      return Response.text(404, Hub.NO_PROMETHEUS);
    }
    return Response.builder(200)
        .body("text/plain; version=0.0.4; charset=utf-8", hub.scrape())
        .build();
  }

  private Response readiness() {
    if (!hub.isReady()) {
      return Response.text(503, "the store does not take publishes");
    }
    if (hub.isFull()) {
      return Response.text(
          503, "full: " + hub.server().maxConnections() + " connections, the limit, are open");
    }
    return Response.text(200, "ready");
  }

  /** What the dashboard charts: connected subscribers and updates published so far. */
  private Response stats() {
    Map<String, Object> stats = new java.util.LinkedHashMap<>();
    stats.put("subscribers", hub.subscribers());
    stats.put("published", (long) hub.metrics().publishedCount());
    stats.put("time", System.currentTimeMillis());
    return Response.builder(200)
        .header("Cache-Control", "no-store")
        .body("application/json", Json.write(stats))
        .build();
  }

  /**
   * RFC 9728: the metadata of the resource at path P lives at {@code
   * /.well-known/oauth-protected-resource} + P.
   */
  String metadataPath() {
    return "/.well-known/oauth-protected-resource" + config.path();
  }

  private String metadataUrl() {
    return hub.baseUrl() + metadataPath();
  }

  private Response metadata() {
    StringBuilder json = new StringBuilder("{");
    json.append("\"resource\":").append(Json.quote(resource()));
    json.append(
        ",\"authorization_details_types_supported\":[\"https://mercure.rocks/authorization-detail\"]");
    json.append(",\"bearer_methods_supported\":[\"header\"]");
    json.append(",\"mercure_cookie\":").append(Json.quote(config.cookieName()));
    json.append(",\"mercure_matcher_types_supported\":[\"exact\",\"urlpattern\"]");
    if (config.subscriptionsApi()) {
      json.append(",\"mercure_subscriptions\":true");
    }
    json.append('}');
    return Response.builder(200)
        .header("Cache-Control", "max-age=300")
        .body("application/json", json.toString())
        .build();
  }

  String resource() {
    return config.resource() != null ? config.resource() : hub.url();
  }

  // ---------------------------------------------------------------------------------------------
  // Authorization

  /** A token the request presents: the Authorization header's, else the cookie's; or null. */
  private String token(Request request) throws TokenException {
    String authorization = request.header("Authorization");
    if (authorization != null) {
      return TokenVerifier.bearer(authorization); // the header wins; any cookie is ignored
    }
    String token = cookie(request, config.cookieName());
    if (token == null && config.compat()) {
      token = cookie(request, COMPAT_COOKIE);
    }
    return token;
  }

  private static String cookie(Request request, String name) {
    for (String header : request.headers("Cookie")) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          String value = pair.substring(eq + 1).trim();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          return value.isEmpty() ? null : value;
        }
      }
    }
    return null;
  }

  private boolean usesCookie(Request request) {
    return request.header("Authorization") == null;
  }

  /** The grants of the request's token; null if it presents none. */
  Grants grants(Request request) throws TokenException {
    String token = token(request);
    if (token == null) {
      return null;
    }
    TokenVerifier verifier = config.verifier();
    if (verifier == null) {
      throw new TokenException(TokenException.Error.INVALID_TOKEN, "the hub has no keys");
    }
    try {
      return verifier.verify(token);
    } catch (TokenException e) {
      hub.metrics().rejectedToken();
      LOG.debug("{} {}: token refused: {}", request.method(), request.path(), e.getMessage());
      throw e;
    }
  }

  Response challenge(int status, String error, String description) {
    StringBuilder value = new StringBuilder("Bearer realm=\"mercure\"");
    if (error != null) {
      value.append(", error=\"").append(error).append('"');
    }
    value.append(", resource_metadata=\"").append(metadataUrl()).append('"');
    return Response.builder(status)
        .header("WWW-Authenticate", value.toString())
        .body("text/plain; charset=utf-8", description)
        .build();
  }

  Response refused(TokenException e) {
    String description =
        e.error() == TokenException.Error.INVALID_REQUEST
            ? "malformed access token presentation"
            : "invalid access token";
    return challenge(e.error().status(), e.error().code(), description);
  }

  // ---------------------------------------------------------------------------------------------
  // Subscribe

  private void subscribe(Request request, SseStream stream) {
    List<Map.Entry<String, String>> params;
    try {
      params = FormData.parseQuery(rawQuery(request));
    } catch (IllegalArgumentException e) {
      stream.reject(400, "the query is not valid UTF-8");
      return;
    }
    List<TopicMatcher> matchers = new ArrayList<>();
    String lastEventIdParam = null;
    for (Map.Entry<String, String> p : params) {
      String name = p.getKey();
      String type = matcherType(name);
      if (type == null && config.compat() && name.equals("topic")) {
        type = "compat";
      }
      if (type == null) {
        if (name.equals("last_event_id") && lastEventIdParam == null) {
          lastEventIdParam = p.getValue();
        } else if (name.toLowerCase(Locale.ROOT).startsWith("match")) {
          stream.reject(400, "unsupported matcher parameter: " + name);
          return;
        }
        continue;
      }
      if (matchers.size() == config.maxMatchers()) {
        stream.reject(400, "more than " + config.maxMatchers() + " topic matchers");
        return;
      }
      try {
        matchers.add(
            type.equals("compat")
                ? TopicMatcher.legacy(p.getValue())
                : TopicMatcher.of(type, p.getValue(), hub.url()));
      } catch (IllegalArgumentException e) {
        stream.reject(400, "invalid " + name + " value: " + e.getMessage());
        return;
      }
    }
    if (matchers.isEmpty()) {
      stream.reject(400, "at least one match or match_urlpattern parameter is required");
      return;
    }
    Grants grants;
    try {
      grants = grants(request);
    } catch (TokenException e) {
      stream.reject(refused(e));
      return;
    }
    if (grants == null && !config.anonymousSubscribers()) {
      stream.reject(challenge(401, null, "an access token is required to subscribe"));
      return;
    }
    String header = stream.lastEventId(); // the Last-Event-ID header, decoded as UTF-8
    String lastEventId = header != null ? header : lastEventIdParam;
    Subscriber subscriber = new Subscriber(Ids.generate(), matchers, grants);
    hub.patterns().add(subscriber);
    stream.onClose(() -> hub.patterns().remove(subscriber));
    scheduleEnd(stream, grants);
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

  /** On a replay thread: reads history (may block), then lets the head go. */
  private void resume(SseStream stream, Subscriber subscriber, String lastEventId) {
    try {
      Replay replay = hub.broadcaster().subscribe(stream, subscriber, lastEventId);
      boolean known = replay == Replay.RESUMED && !lastEventId.equals(HubLog.EARLIEST);
      stream.header("Mercure-Last-Event-ID", known ? lastEventId : HubLog.EARLIEST);
      stream.sendHeaders();
      if (replay == Replay.UNKNOWN_ID && config.gapEvents()) {
        stream.send(
            SseEvent.builder()
                .type("herald-gap")
                .data(
                    "{\"requested\":" + Json.quote(lastEventId) + ",\"resumedFrom\":\"earliest\"}")
                .build());
      }
      hub.subscriptions().opened(subscriber, stream);
    } catch (RuntimeException e) {
      LOG.error("replay for a subscriber failed", e);
      try {
        stream.reject(500, "replay failed");
      } catch (IllegalStateException alreadySent) {
        stream.close();
      }
    }
  }

  /** Closes the stream when its token expires, or at the configured maximum lifetime. */
  private void scheduleEnd(SseStream stream, Grants grants) {
    Instant end = grants == null ? null : grants.expiresAt();
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

  // ---------------------------------------------------------------------------------------------
  // Publish

  private CompletionStage<Response> publish(Request request) {
    hub.metrics().publishRequest();
    String contentType = request.header("Content-Type");
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return done(Response.text(400, "the body must be application/x-www-form-urlencoded"));
    }
    List<Map.Entry<String, String>> fields;
    try {
      fields = FormData.parse(request.body());
    } catch (IllegalArgumentException e) {
      return done(Response.text(400, "the body is not valid UTF-8"));
    }
    List<String> topics = new ArrayList<>();
    String data = null;
    String id = null;
    String type = null;
    String retry = null;
    boolean isPrivate = false;
    for (Map.Entry<String, String> f : fields) {
      String v = f.getValue();
      switch (f.getKey()) {
        case "topic":
          if (topics.size() == config.maxTopics()) {
            return done(Response.text(413, "more than " + config.maxTopics() + " topics"));
          }
          topics.add(v);
          break;
        case "data":
          data = data == null ? v : data;
          break;
        case "id":
          id = id == null ? v : id;
          break;
        case "type":
          type = type == null ? v : type;
          break;
        case "retry":
          retry = retry == null ? v : retry;
          break;
        case "private":
          isPrivate = true;
          break;
        default: // unknown fields are ignored, for future extensions
      }
    }
    if (topics.isEmpty()) {
      return done(Response.text(400, "at least one topic field is required"));
    }
    Long retryMillis = null;
    if (retry != null) {
      if (retry.isEmpty() || !retry.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return done(Response.text(400, "retry must be ASCII digits"));
      }
      try {
        retryMillis = Long.parseLong(retry);
      } catch (NumberFormatException e) {
        return done(Response.text(400, "retry is too large"));
      }
    }
    if (id != null && id.isEmpty()) {
      id = null;
    }
    if (type != null && type.isEmpty()) {
      type = null;
    }
    Update update = new Update(topics, data, isPrivate, id, type, retryMillis);
    String problem = Publications.check(update, config.path(), hub.url());
    if (problem != null) {
      return done(Response.text(400, problem));
    }
    if (!config.anonymousPublishers()) {
      Grants grants;
      try {
        grants = grants(request);
      } catch (TokenException e) {
        return done(refused(e));
      }
      if (grants == null) {
        return done(challenge(401, null, "an access token is required to publish"));
      }
      if (usesCookie(request) && !sameOrigin(request)) {
        return done(
            Response.text(403, "a cookie-authorized publish needs a matching Origin or Referer"));
      }
      for (String topic : topics) {
        if (!grants.mayPublish(topic)) {
          return done(
              challenge(403, "insufficient_scope", "the token may not publish to " + topic));
        }
      }
    }
    return hub.append(update)
        .handle(
            (stored, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                boolean overloaded = cause instanceof HubOverloadedException;
                if (overloaded) {
                  LOG.debug("publish refused: {}", cause.getMessage()); // one per refusal
                } else {
                  LOG.error("an update could not be stored", failure);
                }
                return Response.builder(503)
                    .header("Retry-After", "1")
                    .body(
                        "text/plain; charset=utf-8",
                        overloaded ? cause.getMessage() : "the update could not be stored")
                    .build();
              }
              return Response.builder(200)
                  .body("text/plain; charset=utf-8", stored.update().id())
                  .build();
            });
  }

  /**
   * CSRF defence for cookie-authorized publishes: the Origin (or else the Referer) must be the
   * hub's own origin or an allowed CORS origin.
   */
  private boolean sameOrigin(Request request) {
    String origin = request.header("Origin");
    if (origin == null) {
      String referer = request.header("Referer");
      if (referer == null) {
        return false;
      }
      try {
        java.net.URI r = java.net.URI.create(referer);
        origin = r.getScheme() + "://" + r.getRawAuthority();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (origin.equals(hub.baseUrl()) || config.server().corsOrigins().contains(origin)) {
      return true;
    }
    String host = request.header("Host");
    return host != null && (origin.equals("https://" + host) || origin.equals("http://" + host));
  }

  private static CompletionStage<Response> done(Response response) {
    return CompletableFuture.completedFuture(response);
  }
}
