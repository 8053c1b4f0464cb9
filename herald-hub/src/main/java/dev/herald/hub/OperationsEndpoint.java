package dev.herald.hub;

import dev.herald.server.HeraldServer;
import dev.herald.server.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What operators and clients ask the hub about itself rather than about updates: liveness ({@code
 * /healthz}), readiness ({@code /readyz}), the meters ({@code /metrics}), the dashboard's figures
 * ({@code /stats}), and the protected resource metadata (RFC 9728) that its challenges point to.
 */
final class OperationsEndpoint {
  private final Hub hub;
  private final HubConfig config;

  OperationsEndpoint(Hub hub) {
    this.hub = hub;
    this.config = hub.config();
  }

  /**
   * RFC 9728: the metadata of the resource at path P lives at {@code
   * /.well-known/oauth-protected-resource} + P.
   */
  static String metadataPath(String hubPath) {
    return "/.well-known/oauth-protected-resource" + hubPath;
  }

  void register(HeraldServer.Builder server) {
    server.get(metadataPath(config.path()), request -> metadata());
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

  /**
   * What the dashboard charts: this node's subscribers and updates dispatched so far, its name, and
   * the cluster's subscribers (this node's alone when it has no cluster).
   */
  private Response stats() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("subscribers", hub.subscribers());
    stats.put("node", hub.nodeName());
    stats.put("clusterSubscribers", hub.clusterSubscribers());
    stats.put("published", (long) hub.metrics().publishedCount());
    stats.put("time", System.currentTimeMillis());
    return Response.builder(200)
        .header("Cache-Control", "no-store")
        .body("application/json", Json.write(stats))
        .build();
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

  private String resource() {
    return config.resource() != null ? config.resource() : hub.url();
  }
}
