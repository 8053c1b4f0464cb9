package dev.herald.hub;

import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.auth.ReadAccess;
import dev.herald.hub.auth.TokenPolicy;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.server.HeraldServer;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.ServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The dashboard: its page at {@code /} (three files from the jar, sent with a content security
 * policy that lets them load and reach nothing but this origin) and the JSON it reads — {@code
 * /stats} (the live figures), {@code /dashboard/settings} (the node's settings, never a key or a
 * token) and {@code /dashboard/history} (updates from the hub's history). The page lists the active
 * subscriptions from the subscription API itself.
 *
 * <p>Who may read: the JSON answers anyone when the dashboard is open ({@link
 * Hub.Builder#openDashboard}, a development hub), and otherwise only a request the access policy
 * lets read the subscription API — one rule, the policy's, for every view of the hub's state. The
 * page's three files are the same for every hub and hold nothing about this one, so they are served
 * to anyone: an anonymous visitor of a hub that is not open sees only a field for a token. The
 * history's updates are, besides, only those the visitor could subscribe to and read: the access
 * policy's subscribe decision and {@code ReadAccess}, as for a subscriber resuming. History is read
 * ({@link DashboardHistory}) on the replay threads, never on an event loop, and every answer is
 * bounded (a limit of updates, of updates scanned, and of data).
 */
final class DashboardEndpoint {
  /** The updates a history answer holds when the request gives no {@code limit}. */
  static final int DEFAULT_HISTORY_LIMIT = 20;

  /** The most updates a history answer holds: the largest {@code limit} accepted. */
  static final int MAX_HISTORY_LIMIT = 100;

  /** The page: what each path serves, from the jar's {@code herald-hub-dashboard/}. */
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/dashboard.js", "dashboard.js",
          "/dashboard.css", "dashboard.css");

  /** The page may load, and send requests to, this origin only; nothing may frame it. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String VERSION = version();

  private final Hub hub;
  private final HubConfig config;
  private final Authorization authorization;

  DashboardEndpoint(Hub hub, Authorization authorization) {
    this.hub = hub;
    this.config = hub.config();
    this.authorization = authorization;
  }

  void register(HeraldServer.Builder server) {
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      Response page = page(file.getValue());
      server.get(file.getKey(), request -> page);
    }
    server.get("/stats", request -> authorized(request, this::stats));
    server.get("/dashboard/settings", request -> authorized(request, this::settings));
    server.routeAsync("GET", "/dashboard/history", this::history);
  }

  // ---- The page -------------------------------------------------------------------------------

  private static Response page(String name) {
    byte[] body;
    try (InputStream in =
        DashboardEndpoint.class
            .getClassLoader()
            .getResourceAsStream("herald-hub-dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
      }
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard's " + name, e);
    }
    String type =
        name.endsWith(".html")
            ? "text/html; charset=utf-8"
            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    return Response.builder(200)
        .header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .body(type, body)
        .build();
  }

  // ---- Who may read ---------------------------------------------------------------------------

  /** The answer {@code reply} makes, if the dashboard is open or the request may read it. */
  private Response authorized(Request request, Supplier<Response> reply) {
    Response refusal = refusal(request);
    return refusal != null ? refusal : reply.get();
  }

  /** The refusal of {@code request}, or {@code null} if it may read the dashboard's JSON. */
  private Response refusal(Request request) {
    if (config.servesOpenDashboard()) {
      return null;
    }
    try {
      authorization.readSubscriptions(request, config.path() + "/subscriptions");
      return null;
    } catch (AccessDeniedException e) {
      return authorization.refused(request, e);
    }
  }

  private static Response json(Object document) {
    return Response.builder(200)
        .header("Cache-Control", "no-store")
        .body("application/json", Json.write(document))
        .build();
  }

  // ---- Figures and settings -------------------------------------------------------------------

  /** What the dashboard charts: connected subscribers and updates published so far. */
  private Response stats() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("subscribers", hub.subscribers());
    stats.put("node", hub.nodeName());
    stats.put("clusterSubscribers", hub.clusterSubscribers());
    stats.put("published", (long) hub.metrics().publishedCount());
    stats.put("lastEventId", hub.lastEventId());
    stats.put("time", System.currentTimeMillis());
    return json(stats);
  }

  /**
   * The node's settings at a glance. Only what is safe to show: never a key, a secret, a token or a
   * key's file (the verifier is shown only as present or not).
   */
  private Response settings() {
    ServerSettings server = config.server();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", VERSION);
    doc.put("node", hub.nodeName());
    doc.put("url", hub.url());

    Map<String, Object> serving = new LinkedHashMap<>();
    serving.put("host", server.host());
    serving.put("port", hub.port());
    serving.put("tls", server.tls());
    serving.put("h2c", server.h2c());
    serving.put("eventLoopThreads", server.eventLoopThreads());
    serving.put("heartbeat", text(server.heartbeat()));
    serving.put("idleTimeout", text(server.idleTimeout()));
    serving.put("slowConsumerPolicy", String.valueOf(server.slowConsumerPolicy()));
    serving.put("corsOrigins", server.corsOrigins());
    doc.put("server", serving);

    Map<String, Object> store = new LinkedHashMap<>();
    Object log = hub.updates();
    String kind = log.getClass().getSimpleName();
    String description = log.toString(); // the stores' own: Kind[where; retention]
    if (description.startsWith(kind + "[") && description.endsWith("]")) {
      description = description.substring(kind.length() + 1, description.length() - 1);
    }
    store.put("kind", kind);
    store.put("description", description);
    store.put("historyWindow", config.historyWindow());
    doc.put("store", store);

    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("maxConnections", server.maxConnections());
    limits.put("maxBodyBytes", server.maxBodyBytes());
    limits.put("maxPendingBytes", server.maxPendingBytes());
    limits.put("maxMatchers", config.maxMatchers());
    limits.put("maxTopics", config.maxTopics());
    limits.put("maxTopicLength", Hub.MAX_TOPIC_LENGTH);
    limits.put("maxPendingPublishes", config.maxPendingPublishes());
    limits.put("maxConnectionLifetime", text(config.maxConnectionLifetime()));
    doc.put("limits", limits);

    Map<String, Object> auth = new LinkedHashMap<>();
    boolean tokens = config.policy() instanceof TokenPolicy;
    auth.put("policy", tokens ? "tokens" : config.policy().getClass().getName());
    auth.put("keys", config.verifier() != null);
    auth.put("anonymousSubscribers", config.anonymousSubscribers());
    auth.put("anonymousPublishers", config.anonymousPublishers());
    auth.put("strict", config.strict());
    auth.put("cookie", config.cookieName());
    auth.put("openDashboard", config.openDashboard());
    auth.put("subscriptionsApi", config.subscriptionsApi());
    auth.put("gapEvents", config.gapEvents());
    doc.put("auth", auth);
    return json(doc);
  }

  private static String text(Duration duration) {
    return duration == null ? null : duration.toString();
  }

  private static String version() {
    Properties build = new Properties();
    try (InputStream in = DashboardEndpoint.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      // unknown, as without the file
    }
    return build.getProperty("version", "unknown");
  }

  // ---- History --------------------------------------------------------------------------------

  /**
   * {@code GET /dashboard/history?match=…[&after=ID][&limit=N]}: the updates of the history that
   * the matchers select and the requester may read, oldest first — without {@code after}, the most
   * recent ones this node holds in memory; with it, those after the update with that ID (or from
   * the oldest, for {@code earliest}). See {@link DashboardHistory}.
   */
  private CompletionStage<Response> history(Request request) {
    Response refusal = refusal(request);
    if (refusal != null) {
      return CompletableFuture.completedFuture(refusal);
    }
    List<TopicMatcher> matchers = new ArrayList<>();
    String problem = SubscribeEndpoint.readMatchers(request, hub, matchers);
    if (problem != null) {
      return CompletableFuture.completedFuture(Response.text(400, problem));
    }
    int limit;
    String limitText = request.query("limit");
    try {
      limit = limitText == null ? DEFAULT_HISTORY_LIMIT : Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
      return CompletableFuture.completedFuture(
          Response.text(400, "limit must be a number from 1 to " + MAX_HISTORY_LIMIT));
    }
    ReadAccess access;
    try {
      access = authorization.subscribe(request, matchers);
    } catch (AccessDeniedException e) {
      return CompletableFuture.completedFuture(authorization.refused(request, e));
    }
    Subscriber reader = new Subscriber("dashboard-history", matchers, access);
    String after = request.query("after");
    int max = limit;
    DashboardHistory history = new DashboardHistory(hub.log());
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            if (after == null) {
              return json(history.recent(reader, max));
            }
            return history
                .after(reader, after, max)
                .map(DashboardEndpoint::json)
                .orElseGet(
                    () -> Response.text(404, "no update with this ID in the history: " + after));
          },
          hub.replays());
    } catch (RejectedExecutionException stopping) {
      return CompletableFuture.completedFuture(Response.text(503, "the hub is stopping"));
    }
  }
}
