package dev.herald.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The routing table: exact paths, and prefixes written {@code /prefix/*}; the longest prefix wins.
 * Immutable once built.
 */
final class Routes {
  /** One route; exactly one of {@code sse}, {@code http} and {@code async} is set. */
  record Route(
      String method,
      String pattern,
      SseHandler sse,
      HttpHandler http,
      AsyncHttpHandler async,
      String lastEventIdParam) {

    boolean isPrefix() {
      return pattern.endsWith("/*");
    }

    boolean matches(String path) {
      if (!isPrefix()) {
        return pattern.equals(path);
      }
      int prefix = pattern.length() - 1; // "/events/" of "/events/*": no substring per request
      return path.regionMatches(0, pattern, 0, prefix)
          || path.length() == prefix - 1 && path.regionMatches(0, pattern, 0, prefix - 1);
    }
  }

  private final List<Route> routes;
  private final java.util.Set<String> probes;

  private Routes(List<Route> routes, java.util.Set<String> probes) {
    this.probes = java.util.Set.copyOf(probes);
    List<Route> sorted = new ArrayList<>(routes);
    // exact routes first, then prefixes, longest first
    sorted.sort(Comparator.comparing(Route::isPrefix).thenComparing(r -> -r.pattern().length()));
    this.routes = List.copyOf(sorted);
  }

  static Routes of(List<Route> routes) {
    return of(routes, java.util.Set.of());
  }

  /** The routes, of which those at the {@code probes} paths answer even past the limit. */
  static Routes of(List<Route> routes, java.util.Set<String> probes) {
    Map<String, Route> unique = new LinkedHashMap<>();
    for (Route route : routes) {
      String key = route.method() + " " + route.pattern();
      if (unique.putIfAbsent(key, route) != null) {
        throw new IllegalArgumentException("two routes for " + key);
      }
    }
    return new Routes(routes, probes);
  }

  /** Whether {@code GET} of this request URI is a probe, answered even past the limit. */
  boolean isProbe(String method, String uri) {
    if (probes.isEmpty() || !"GET".equals(method)) {
      return false;
    }
    int query = uri.indexOf('?');
    return probes.contains(query < 0 ? uri : uri.substring(0, query));
  }

  static void checkPattern(String pattern) {
    Objects.requireNonNull(pattern, "path");
    if (!pattern.startsWith("/") || pattern.indexOf('*') >= 0 && !pattern.endsWith("/*")) {
      throw new IllegalArgumentException(
          "path must start with / and may only end with /* for a prefix: " + pattern);
    }
  }

  /** The route for {@code method} and {@code path}, or {@code null}. */
  Route match(String method, String path) {
    for (Route route : routes) {
      if (route.method().equals(method) && route.matches(path)) {
        return route;
      }
    }
    return null;
  }

  /** The methods some route accepts for {@code path}, for a 405's {@code Allow} header. */
  String allowedMethods(String path) {
    TreeSet<String> methods = new TreeSet<>();
    for (Route route : routes) {
      if (route.matches(path)) {
        methods.add(route.method());
      }
    }
    return String.join(", ", methods);
  }
}
