package dev.herald.publisher;

import dev.herald.core.EventIds;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes to a Mercure hub over HTTP: a {@code POST} of the form the protocol defines, with the
 * publisher's token as {@code Authorization: Bearer}. The answer's body is the update's ID.
 *
 * <p>Every request has a {@linkplain Builder#requestTimeout timeout}. While the hub answers {@code
 * 503} (overloaded, or its store unavailable) the publication is retried, after the {@code
 * Retry-After} the hub asked for or else an exponential backoff with jitter, up to {@linkplain
 * Builder#maxAttempts a number of attempts} and {@linkplain Builder#maxRetryTime a total time}; a
 * {@code Retry-After} past that time ends the retries at once. Any other error status fails at once
 * with a {@link PublishException} naming it and the hub's message, as does a network error or a
 * timeout (a publish that timed out may still have been accepted, so it is not repeated). A
 * publication without an ID is given one (a time-ordered {@code urn:uuid:}, {@link EventIds}, as
 * Herald's hub makes them: a durable store indexes it at the end of its index), the same for each
 * of its attempts: a {@code 503} can come after the hub stored the update (a cluster whose replicas
 * did not confirm it in time), so a retry may be a second copy, which subscribers can then tell by
 * its ID.
 *
 * <pre>{@code
 * Publisher publisher = HubPublisher.builder(URI.create("https://hub.example.com/.well-known/mercure"))
 *     .tokens(HubTokens.builder().hmacSecret(key).issuer(iss).audience(aud).build())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe. Futures complete on the HTTP client's executor; retries wait without holding a
 * thread.
 *
 * @since 0.2
 */
public final class HubPublisher implements Publisher {
  /** The default {@link Builder#requestTimeout}: 10 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The default {@link Builder#maxAttempts}: 5. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** The default {@link Builder#maxRetryTime}: 30 s. */
  public static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofSeconds(30);

  /** The default first {@link Builder#backoff} delay: 200 ms, doubling up to 5 s. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final int MAX_MESSAGE = 500;

  private final URI url;
  private final HttpClient client;
  private final Supplier<String> token;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration maxRetryTime;
  private final Duration backoff;
  private final Clock clock;

  private HubPublisher(Builder b) {
    this.url = b.url;
    this.client =
        b.client != null
            ? b.client
            : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
    this.token = b.token;
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.maxRetryTime = b.maxRetryTime;
    this.backoff = b.backoff;
    this.clock = b.clock;
  }

  /** A builder of a publisher to the hub at {@code url}. */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  @Override
  public String url() {
    return url.toString();
  }

  @Override
  public CompletableFuture<String> publishAsync(Publication publication) {
    Objects.requireNonNull(publication, "publication");
    Instant deadline = clock.instant().plus(maxRetryTime);
    return attempt(publication, form(publication), 1, deadline);
  }

  private CompletableFuture<String> attempt(
      Publication publication, String form, int attempt, Instant deadline) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) {
      String value = token.get();
      if (value != null) {
        request.header("Authorization", "Bearer " + value);
      }
    }
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(unreachable(publication, failure));
              }
              return response;
            })
        .thenCompose(
            response -> {
              int status = response.statusCode();
              if (status / 100 == 2) {
                return CompletableFuture.completedFuture(response.body().trim());
              }
              if (status == 503) {
                Duration delay = retryDelay(response, attempt);
                Instant now = clock.instant();
                if (attempt < maxAttempts && delay != null && !now.plus(delay).isAfter(deadline)) {
                  return CompletableFuture.supplyAsync(
                          () -> null,
                          CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS))
                      .thenCompose(ignored -> attempt(publication, form, attempt + 1, deadline));
                }
              }
              return CompletableFuture.failedFuture(refused(publication, response, attempt));
            });
  }

  /**
   * How long to wait before the next attempt: the hub's {@code Retry-After} (seconds or an HTTP
   * date), else the backoff of this attempt with jitter; {@code null} if the header cannot be read.
   */
  Duration retryDelay(HttpResponse<?> response, int attempt) {
    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
    if (retryAfter != null) {
      return parseRetryAfter(retryAfter.trim(), clock);
    }
    long base = backoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, Math.max(MAX_BACKOFF.toMillis(), backoff.toMillis()));
    // Full jitter over the upper half: publishers refused together do not come back together.
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /** A {@code Retry-After} value as a delay from now; {@code null} if it is neither form. */
  static Duration parseRetryAfter(String value, Clock clock) {
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return value.length() > 9 ? null : Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(clock.instant(), at);
      return delay.isNegative() ? Duration.ZERO : delay;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private PublishException unreachable(Publication publication, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    String why =
        cause instanceof HttpTimeoutException
            ? "no answer within " + requestTimeout
            : cause instanceof IOException && cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : String.valueOf(cause.getMessage());
    return new PublishException(
        "publishing " + publication + " to " + url + " failed: " + why, cause);
  }

  private PublishException refused(
      Publication publication, HttpResponse<String> response, int attempts) {
    String body = response.body() == null ? "" : response.body().trim();
    if (body.length() > MAX_MESSAGE) {
      body = body.substring(0, MAX_MESSAGE);
    }
    int status = response.statusCode();
    String message =
        "hub "
            + url
            + " answered "
            + status
            + " to "
            + publication
            + (body.isEmpty() ? "" : ": " + body)
            + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
    return new PublishException(message, status, body);
  }

  /** The form of the protocol's publish request. */
  static String form(Publication publication) {
    StringBuilder form = new StringBuilder();
    for (String topic : publication.topics()) {
      field(form, "topic", topic);
    }
    field(form, "data", publication.data());
    if (publication.isPrivate()) {
      field(form, "private", "on");
    }
    // An update without an ID gets one here, the form Herald's hub makes (urn:uuid:, time-ordered:
    // a durable store's index of IDs then grows at its end), so that every
    // attempt carries the same: a 503 may come after the hub stored the update (WAIT for replicas
    // timed out), and a retry is then a second copy its subscribers can tell by its ID.
    field(form, "id", publication.id() != null ? publication.id() : EventIds.next());
    if (publication.type() != null) {
      field(form, "type", publication.type());
    }
    if (publication.retry() != null) {
      field(form, "retry", Long.toString(publication.retry().toMillis()));
    }
    return form.toString();
  }

  private static void field(StringBuilder form, String name, String value) {
    if (form.length() > 0) {
      form.append('&');
    }
    form.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  /** Builds a {@link HubPublisher}. Not thread-safe. */
  public static final class Builder {
    private final URI url;
    private HttpClient client;
    private Supplier<String> token;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration maxRetryTime = DEFAULT_MAX_RETRY_TIME;
    private Duration backoff = DEFAULT_BACKOFF;
    private Clock clock = Clock.systemUTC();

    private Builder(URI url) {
      Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("url: not http or https: " + url);
      }
      this.url = url;
    }

    /** Publishes with a publisher token {@code tokens} mints for every topic, fresh each time. */
    public Builder tokens(HubTokens tokens) {
      Objects.requireNonNull(tokens, "tokens");
      this.token = tokens::publisher;
      return this;
    }

    /**
     * Publishes with the token {@code token} supplies, asked before every request (it may cache);
     * {@code null} from it sends none.
     */
    public Builder token(Supplier<String> token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * The longest wait for the hub's answer to one request, and for connecting ({@link
     * #DEFAULT_REQUEST_TIMEOUT} by default).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * The most requests one publication makes while the hub answers {@code 503} ({@link
     * #DEFAULT_MAX_ATTEMPTS} by default; 1: no retry).
     *
     * @throws IllegalArgumentException if below 1 or above 100
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException("maxAttempts: not between 1 and 100: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The longest time from a publication's first request to its last retry ({@link
     * #DEFAULT_MAX_RETRY_TIME} by default): no retry starts later.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxRetryTime(Duration time) {
      if (time.isNegative()) {
        throw new IllegalArgumentException("maxRetryTime: negative: " + time);
      }
      this.maxRetryTime = time;
      return this;
    }

    /**
     * The first delay between attempts when the hub gives no {@code Retry-After}; it doubles with
     * each attempt up to 5 s (or this, if longer), with jitter ({@link #DEFAULT_BACKOFF} by
     * default).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder backoff(Duration first) {
      this.backoff = positive("backoff", first);
      return this;
    }

    /** The HTTP client (default: a new one with the request timeout as connect timeout). */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The clock of the retry deadline and of {@code Retry-After} dates (for tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The publisher. */
    public HubPublisher build() {
      return new HubPublisher(this);
    }

    private static Duration positive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + ": not positive: " + value);
      }
      return value;
    }
  }
}
