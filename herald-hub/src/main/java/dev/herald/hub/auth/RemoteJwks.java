package dev.herald.hub.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWK Set fetched from a URL on the verifier's refresh thread, never on a caller's: periodically,
 * and when a token names a key ID it does not know, at most once per minimum interval. Until the
 * first fetch succeeds it holds no key; a failed fetch keeps the keys it had.
 */
final class RemoteJwks {
  static final int MAX_BYTES = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final Duration refresh;
  private final Duration minInterval;
  private final HttpClient client;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();
  private volatile List<TrustedKey> keys = List.of();
  private CompletableFuture<Void> pending;
  private Instant lastAttempt;

  RemoteJwks(
      URI url,
      Duration refresh,
      Duration minInterval,
      HttpClient client,
      ScheduledExecutorService executor,
      Clock clock) {
    this.url = url;
    this.refresh = refresh;
    this.minInterval = minInterval;
    this.client = client;
    this.executor = executor;
    this.clock = clock;
  }

  void start() {
    executor.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  List<TrustedKey> keys() {
    return keys;
  }

  /** Completes once the first fetch has succeeded. */
  CompletableFuture<Void> loaded() {
    return loaded;
  }

  /** Asks for a refresh unless one was attempted within the minimum interval. */
  synchronized boolean refreshIfDue() {
    if (lastAttempt != null
        && Duration.between(lastAttempt, clock.instant()).compareTo(minInterval) < 0) {
      return false;
    }
    refresh();
    return true;
  }

  /** Fetches the set on the refresh thread, or joins the fetch under way. */
  synchronized CompletableFuture<Void> refresh() {
    if (pending != null) {
      return pending;
    }
    lastAttempt = clock.instant();
    CompletableFuture<Void> done = new CompletableFuture<>();
    pending = done;
    try {
      executor.execute(
          () -> {
            boolean fetched = false;
            try {
              fetched = fetch();
            } finally {
              synchronized (this) {
                pending = null;
              }
              // Only now: whoever waits for the keys may find them stale and ask for a new fetch.
              if (fetched) {
                loaded.complete(null);
              }
              done.complete(null);
            }
          });
    } catch (RejectedExecutionException closed) {
      pending = null;
      done.complete(null);
    }
    return done;
  }

  /** Fetches the set; returns whether it replaced the keys held. */
  private boolean fetch() {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          LOG.warn(
              "JWK Set {} answered HTTP {}; keeping the keys held", url, response.statusCode());
          return false;
        }
        byte[] bytes = body.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          LOG.warn("JWK Set {} is larger than {} bytes; keeping the keys held", url, MAX_BYTES);
          return false;
        }
        keys = JwkKeys.parse(new String(bytes, StandardCharsets.UTF_8), url.toString());
        return true;
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Could not load the JWK Set {}; keeping the keys held: {}", url, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
