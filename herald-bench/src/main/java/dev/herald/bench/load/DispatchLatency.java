package dev.herald.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Herald's own part of a publish's latency, read from a Herald target's {@code /metrics}: the
 * cumulative buckets of {@code herald_dispatch_latency_seconds} (from {@code Broadcaster.publish}
 * to the end of the flush of each event loop that wrote the event). The server's histogram counts
 * since it started; a point's own histogram is the difference of two scrapes, one before and one
 * after it, and its quantiles are interpolated within the buckets — as fine as the buckets are
 * (Micrometer's, about 10–30 % apart).
 *
 * <p>Immutable and thread-safe.
 */
final class DispatchLatency {
  static final String BUCKET = "herald_dispatch_latency_seconds_bucket{";
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final int MAX_BYTES = 8 << 20;

  /** Cumulative count per upper bound in seconds ({@code +Inf} included). */
  private final TreeMap<Double, Long> buckets;

  private DispatchLatency(TreeMap<Double, Long> buckets) {
    this.buckets = buckets;
  }

  /** Scrapes {@code url}; {@code null} if it cannot be read or has no such histogram. */
  static DispatchLatency scrape(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(TIMEOUT_MILLIS);
      c.setReadTimeout(TIMEOUT_MILLIS);
      try (InputStream in = c.getInputStream()) {
        byte[] body = in.readNBytes(MAX_BYTES);
        return c.getResponseCode() == 200 ? parse(new String(body, StandardCharsets.UTF_8)) : null;
      } finally {
        c.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The histogram in Prometheus text; {@code null} if it has none. Label sets are summed. */
  static DispatchLatency parse(String text) {
    TreeMap<Double, Long> b = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith(BUCKET)) {
        continue;
      }
      int le = line.indexOf("le=\"");
      int close = line.indexOf('}');
      if (le < 0 || close < 0) {
        continue;
      }
      String bound = line.substring(le + 4, line.indexOf('"', le + 4));
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      String value = line.substring(close + 1).trim().split(" ")[0];
      b.merge(upper, (long) Double.parseDouble(value), Long::sum);
    }
    return b.isEmpty() ? null : new DispatchLatency(b);
  }

  /** This scrape's counts less {@code earlier}'s: what was recorded between the two. */
  DispatchLatency since(DispatchLatency earlier) {
    TreeMap<Double, Long> d = new TreeMap<>();
    buckets.forEach(
        (upper, count) ->
            d.put(
                upper,
                Math.max(
                    0, count - (earlier == null ? 0 : earlier.buckets.getOrDefault(upper, 0L)))));
    return new DispatchLatency(d);
  }

  /** Latencies recorded: per publish and event loop. */
  long count() {
    return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
  }

  /**
   * The value at quantile {@code q} (0–1) in milliseconds, interpolated linearly within its bucket;
   * NaN if nothing was recorded; the highest finite bound if it lies in {@code +Inf}.
   */
  double millis(double q) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> e : buckets.entrySet()) {
      long cumulative = e.getValue();
      if (cumulative >= rank && cumulative > below) {
        if (e.getKey().isInfinite()) {
          return lower * 1000;
        }
        double within = (rank - below) / (cumulative - below);
        return (lower + (e.getKey() - lower) * Math.max(0, within)) * 1000;
      }
      if (!e.getKey().isInfinite()) {
        lower = e.getKey();
      }
      below = cumulative;
    }
    return lower * 1000;
  }

  /** p50, p99 and p99.9 in milliseconds, and the count, for the results. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", round(millis(0.5)));
    m.put("p99", round(millis(0.99)));
    m.put("p99.9", round(millis(0.999)));
    m.put("count", count());
    return m;
  }

  private static Object round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
  }
}
