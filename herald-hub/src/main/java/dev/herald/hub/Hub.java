package dev.herald.hub;

import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.store.LocalUpdateBus;
import dev.herald.hub.store.MemoryUpdateStore;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateLog;
import dev.herald.server.Broadcaster;
import dev.herald.server.HeraldServer;
import dev.herald.server.HeraldServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mercure hub: subscribers connect to {@code GET /.well-known/mercure} with topic matchers and
 * receive the updates publishers {@code POST} there, with JWT authorization, history and replay,
 * and (optionally) active-subscription tracking. Run it standalone with {@code ./herald hub}, or
 * embed it:
 *
 * <pre>{@code
 * try (Hub hub = Hub.builder().port(8080).anonymousSubscribers(true).build().start()) {
 *   hub.publish(Update.of("https://example.com/books/1", "{\"title\":\"Dune\"}")).join();
 * }
 * }</pre>
 *
 * <p>An update is dispatched and acknowledged only once its log has made it durable, in one total
 * order; the hub dispatches what its bus delivers; subscribers resume from their last event ID,
 * re-authorized for every replayed update.
 *
 * @since 0.1
 */
public final class Hub implements AutoCloseable {
  /** The default path of the hub, the Mercure well-known URL. */
  public static final String DEFAULT_PATH = "/.well-known/mercure";

  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  /**
   * The longest topic an update may have, canonical or alternate, in UTF-16 code units: {@value},
   * the length of the longest topic matcher ({@link TopicMatcher#MAX_LENGTH}). A longer one is
   * refused at publish, over HTTP with {@code 400} and by {@link #publish}. Matching one topic
   * against one URL pattern costs at most {@code UrlPattern.MAX_PROGRAM_SIZE} steps per character
   * of the topic's URL, so this bounds the cost of every match (docs/hub.md, "Limits"). Not
   * configurable: the matchers' own limits were measured against it.
   */
  public static final int MAX_TOPIC_LENGTH = TopicMatcher.MAX_LENGTH;

  private final Builder config;
  private final UpdateLog updates;
  private final UpdateBus bus;
  private final HubLog log;
  private final Broadcaster<StoredUpdate> broadcaster;
  private final PrometheusMeterRegistry registry;
  private final ScheduledExecutorService timers;
  private final ExecutorService replays;
  private final Subscriptions subscriptions;
  private final ActivePatterns patterns = new ActivePatterns();
  private final HubMetrics metrics;
  private final AtomicInteger pending = new AtomicInteger();
  private HeraldServer server;
  private MercureEndpoint endpoint;
  private String hubUrl;

  private Hub(Builder config) {
    this.config = config;
    this.updates = config.log != null ? config.log : MemoryUpdateStore.builder().build();
    if (config.bus != null) {
      this.bus = config.bus;
    } else {
      this.bus = new LocalUpdateBus();
      updates.publishTo(bus);
    }
    this.log = new HubLog(updates, config.historyWindow);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new HubMetrics(registry);
    AtomicInteger n = new AtomicInteger();
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "herald-hub-timer-" + n.incrementAndGet()));
    this.replays =
        Executors.newFixedThreadPool(
            config.replayThreads, r -> daemon(r, "herald-hub-replay-" + n.incrementAndGet()));
    this.broadcaster =
        Broadcaster.builder(log).coalesce(config.coalesce).readHistoryOn(replays).build();
    this.subscriptions = new Subscriptions(this);
    bus.listen(log.last(), this::dispatch);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** A builder with the defaults: port 8080 on 127.0.0.1, in-memory history, no keys. */
  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts serving; returns this hub. */
  public Hub start() {
    HeraldServer.Builder server =
        HeraldServer.builder()
            .host(config.host)
            .port(config.port)
            .heartbeat(config.heartbeat)
            .maxBodyBytes(config.maxBodyBytes)
            .requestHeadTimeout(config.requestHeadTimeout)
            .requestBodyTimeout(config.requestBodyTimeout)
            .tlsHandshakeTimeout(config.tlsHandshakeTimeout)
            .idleTimeout(config.idleTimeout);
    if (config.eventLoopThreads > 0) {
      server.eventLoopThreads(config.eventLoopThreads);
    }
    if (config.maxConnections > 0) {
      server.maxConnections(config.maxConnections);
    }
    if (config.tlsCertificate != null) {
      server.tls(config.tlsCertificate, config.tlsKey);
    } else if (config.tlsSelfSigned) {
      server.tlsSelfSigned();
    }
    if (!config.corsOrigins.isEmpty()) {
      server.cors(config.corsCredentials, config.corsOrigins.toArray(new String[0]));
    }
    endpoint = new MercureEndpoint(this);
    endpoint.register(server);
    if (config.dashboard) {
      server.staticResources("/", Hub.class.getClassLoader(), "herald-hub-dashboard/");
    }
    this.server = server.build().start();
    new HeraldServerMetrics(this.server).bindTo(registry);
    metrics.bind(this);
    hubUrl =
        config.publicUrl != null
            ? config.publicUrl
            : url(
                config.tlsCertificate != null || config.tlsSelfSigned,
                config.host,
                this.server.port(),
                config.path);
    return this;
  }

  /**
   * The URL of a hub listening on {@code host}:{@code port} at {@code path}, as a started hub
   * without a public URL names itself: {@code 0.0.0.0} shown as {@code localhost}, an IPv6 address
   * in brackets.
   */
  public static String url(boolean tls, String host, int port, String path) {
    String shown = host.equals("0.0.0.0") ? "localhost" : host;
    if (shown.indexOf(':') >= 0) {
      shown = "[" + shown + "]";
    }
    return (tls ? "https" : "http") + "://" + shown + ":" + port + path;
  }

  /**
   * Publishes {@code update} as a publisher would, without a token; returns its ID once stored. An
   * update a publisher could not send (a topic longer than {@link #MAX_TOPIC_LENGTH}, one in the
   * hub's reserved namespace, a reserved ID or type) fails with an {@link IllegalArgumentException}
   * that says why.
   */
  public CompletableFuture<String> publish(Update update) {
    Objects.requireNonNull(update, "update");
    String problem = Publications.check(update, config.path, url());
    if (problem != null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
    }
    return append(update).thenApply(stored -> stored.update().id());
  }

  /** A publish refused because too many wait for the log: routine under overload. */
  static final class Overloaded extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Overloaded(String message) {
      super(message);
    }
  }

  /**
   * Appends an update (its ID assigned if missing) to the log; fails at once while {@link
   * Builder#maxPendingPublishes} appends wait for the log, so a stalled disk cannot fill memory.
   */
  CompletableFuture<StoredUpdate> append(Update update) {
    if (pending.incrementAndGet() > config.maxPendingPublishes) {
      pending.decrementAndGet();
      return CompletableFuture.failedFuture(
          new Overloaded(
              "more than " + config.maxPendingPublishes + " publishes wait for the store"));
    }
    Update withId = update.id() != null ? update : update.withId(Ids.generate());
    CompletableFuture<StoredUpdate> stored;
    try {
      stored = updates.append(withId);
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      return CompletableFuture.failedFuture(e);
    }
    stored.whenComplete((s, failure) -> pending.decrementAndGet());
    return stored;
  }

  /** The bus listener: dispatches durable updates in the log's order, one at a time. */
  private void dispatch(List<StoredUpdate> batch) {
    for (StoredUpdate u : batch) {
      try {
        patterns.match(u.update()); // here, not on the event loops: see ActivePatterns
        // A public update goes to every exact-topic subscriber of its topics without asking them.
        broadcaster.publish(
            HubLog.topicSet(u.update()), HubLog.toEvent(u.update()), u, u.update().isPrivate());
        metrics.published();
      } catch (RuntimeException e) {
        // Stored, so replayed to those who resume; the next update is dispatched all the same.
        LOG.error("dispatching update {} failed", u.cursor(), e);
        log.missed(u);
      }
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The hub's URL, such as {@code http://localhost:8080/.well-known/mercure}. */
  public String url() {
    return hubUrl;
  }

  /** The base URL of the server, such as {@code http://localhost:8080}. */
  public String baseUrl() {
    URI u = URI.create(url());
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  /** The identifier of the last update dispatched, or {@code earliest} if none yet. */
  public String lastEventId() {
    return log.lastEventId();
  }

  /** The number of connected subscribers. */
  public int subscribers() {
    return broadcaster.subscribers();
  }

  /** The Prometheus text exposition of the hub's meters. */
  public String scrape() {
    return registry.scrape();
  }

  /** Whether the hub can take publishes (its log is healthy). */
  public boolean isReady() {
    return server != null && updates.isHealthy();
  }

  /**
   * Whether the open connections, a probe's own included, have reached the connection limit: a new
   * subscriber would be refused.
   */
  boolean isFull() {
    HeraldServer s = server;
    return s != null && s.openConnections() >= s.maxConnections();
  }

  Builder config() {
    return config;
  }

  Broadcaster<StoredUpdate> broadcaster() {
    return broadcaster;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  ExecutorService replays() {
    return replays;
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  ActivePatterns patterns() {
    return patterns;
  }

  HubMetrics metrics() {
    return metrics;
  }

  HeraldServer server() {
    return server;
  }

  /**
   * Stops: subscribers get a {@code retry:} hint and are closed over a short drain; then closes.
   */
  @Override
  public void close() {
    close(Duration.ofSeconds(1));
  }

  /**
   * Stops, closing subscribers over {@code drain}, then closes the log, the bus and the verifier.
   */
  public void close(Duration drain) {
    if (server != null) {
      server.close(drain);
    }
    timers.shutdownNow();
    replays.shutdownNow();
    try {
      replays.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    updates.close();
    bus.close();
    if (config.verifier != null && config.closeVerifier) {
      config.verifier.close();
    }
    registry.close();
  }

  /**
   * Configures a {@link Hub}. Every limit has a default; nothing is required. The limits that bound
   * the cost of matching are fixed, not configured: {@link #MAX_TOPIC_LENGTH} and {@link
   * TopicMatcher#MAX_LENGTH}.
   *
   * @since 0.1
   */
  public static final class Builder {
    String host = "127.0.0.1";
    int port = 8080;
    int eventLoopThreads;
    int maxConnections;
    String path = DEFAULT_PATH;
    String publicUrl;
    String resource;
    Path tlsCertificate;
    Path tlsKey;
    boolean tlsSelfSigned;
    TokenVerifier verifier;
    boolean closeVerifier = true;
    boolean anonymousSubscribers;
    boolean anonymousPublishers;
    boolean compat;
    String cookieName = "__Secure-mercure_access_token";
    List<String> corsOrigins = new ArrayList<>();
    boolean corsCredentials = true;
    UpdateLog log;
    UpdateBus bus;
    Duration heartbeat = Duration.ofSeconds(15);
    Duration coalesce = Broadcaster.Builder.DEFAULT_COALESCE;
    boolean subscriptionsApi;
    boolean dashboard = true;
    boolean gapEvents;
    int maxMatchers = 100;
    int maxTopics = 1000;
    int maxBodyBytes = 1 << 20;
    int historyWindow = 10_000;
    int replayThreads = 2;
    int maxPendingPublishes = 100_000;
    Duration maxConnectionLifetime;
    Duration requestHeadTimeout =
        Duration.ofSeconds(HeraldServer.DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS);
    Duration requestBodyTimeout =
        Duration.ofSeconds(HeraldServer.DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS);
    Duration tlsHandshakeTimeout =
        Duration.ofSeconds(HeraldServer.DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS);
    Duration idleTimeout = Duration.ofSeconds(HeraldServer.DEFAULT_IDLE_TIMEOUT_SECONDS);

    private Builder() {}

    /** The address to bind; default 127.0.0.1 ({@code 0.0.0.0} for every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; 0 picks a free one. Default 8080. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Event-loop threads; default: the server's default (the number of cores). */
    public Builder eventLoopThreads(int threads) {
      this.eventLoopThreads = threads;
      return this;
    }

    /** The most connections held at once; default: the open-file limit minus a reserve. */
    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /**
     * The hub's public URL, as publishers advertise it (for example {@code
     * https://hub.example.com/.well-known/mercure}): the base of relative topics and patterns, and
     * the default resource identifier. Default: the bound address and the default path.
     */
    public Builder publicUrl(String url) {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getPath().isEmpty()) {
        throw new IllegalArgumentException("the hub URL must be absolute with a path: " + url);
      }
      this.publicUrl = url;
      this.path = uri.getPath();
      return this;
    }

    /**
     * The hub's OAuth 2.0 resource identifier, advertised in its protected resource metadata; the
     * verifier must expect it as audience. Default: the hub's URL.
     */
    public Builder resource(String resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** TLS from PEM files: the certificate chain and the private key (HTTP/2 through ALPN). */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      this.tlsCertificate = Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      this.tlsKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      return this;
    }

    /** TLS with a self-signed certificate, for development (needs BouncyCastle). */
    public Builder tlsSelfSigned() {
      this.tlsSelfSigned = true;
      return this;
    }

    /** Verifies access tokens; without one, no token is valid. Closed with the hub. */
    public Builder verifier(TokenVerifier verifier) {
      this.verifier = verifier;
      return this;
    }

    /** Whether subscribers without a token may connect (they never see private updates). */
    public Builder anonymousSubscribers(boolean allowed) {
      this.anonymousSubscribers = allowed;
      return this;
    }

    /**
     * Whether anyone may publish without a token. Only for hubs on a trusted network that no
     * untrusted client can reach.
     */
    public Builder anonymousPublishers(boolean allowed) {
      this.anonymousPublishers = allowed;
      return this;
    }

    /**
     * Compatibility with pre-1.0 Mercure clients: the {@code topic} subscribe parameter with URI
     * templates, and the {@code mercureAuthorization} cookie (the verifier handles the legacy
     * {@code mercure} claim).
     */
    public Builder compat(boolean enabled) {
      this.compat = enabled;
      return this;
    }

    /** The cookie that carries a browser's token; default {@code __Secure-mercure_access_token}. */
    public Builder cookieName(String name) {
      this.cookieName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Origins allowed to subscribe and publish from browsers. With credentials (cookies), which is
     * the default, the wildcard {@code *} is refused: the allow-list must be explicit.
     */
    public Builder corsOrigins(boolean credentials, String... origins) {
      List<String> list = List.of(origins);
      if (credentials && list.contains("*")) {
        throw new IllegalArgumentException(
            "CORS with credentials needs an explicit list of origins, not *");
      }
      this.corsOrigins = new ArrayList<>(list);
      this.corsCredentials = credentials;
      return this;
    }

    /**
     * Where history lives, for a hub on its own: a log in this process ({@code SqliteUpdateStore},
     * {@code MemoryUpdateStore}), which publishes what it makes durable on a {@link LocalUpdateBus}
     * the hub listens to. Default an in-memory store. Closed with the hub.
     */
    public Builder store(UpdateLog log) {
      this.log = Objects.requireNonNull(log, "log");
      this.bus = null;
      return this;
    }

    /**
     * Where history lives and how its updates reach this hub, for a hub that shares its history (a
     * cluster node): {@code bus} must deliver every update {@code log} makes durable, including
     * those other hubs append (a Redis Streams log and its bus share a stream; a log in this
     * process is connected with {@link UpdateLog#publishTo}). Both are closed with the hub.
     */
    public Builder store(UpdateLog log, UpdateBus bus) {
      this.log = Objects.requireNonNull(log, "log");
      this.bus = Objects.requireNonNull(bus, "bus");
      return this;
    }

    /** The heartbeat comment interval on idle streams; {@link Duration#ZERO} for none. */
    public Builder heartbeat(Duration interval) {
      this.heartbeat = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * The shortest time between two passes of an event loop over its subscribers (default 5 ms):
     * updates published within it leave together, one write per connection. See {@link
     * Broadcaster.Builder#coalesce}.
     *
     * @throws IllegalArgumentException if negative or longer than a second
     */
    public Builder coalesce(Duration window) {
      this.coalesce = Broadcaster.Builder.checkCoalesce(window);
      return this;
    }

    /** Whether to publish subscription events and serve the subscription API. Default off. */
    public Builder subscriptionsApi(boolean enabled) {
      this.subscriptionsApi = enabled;
      return this;
    }

    /** Whether to serve the dashboard page at {@code /}. Default on. */
    public Builder dashboard(boolean enabled) {
      this.dashboard = enabled;
      return this;
    }

    /**
     * Whether a subscriber whose last event ID is unknown or expired also gets an in-band event of
     * type {@code herald-gap} (a browser's {@code EventSource} cannot read response headers). The
     * {@code Mercure-Last-Event-ID: earliest} header is always sent. Default off.
     */
    public Builder gapEvents(boolean enabled) {
      this.gapEvents = enabled;
      return this;
    }

    /** The most topic matchers per subscribe request; default 100. */
    public Builder maxMatchers(int max) {
      this.maxMatchers = positive("maxMatchers", max);
      return this;
    }

    /** The most topics per update; default 1000. */
    public Builder maxTopics(int max) {
      this.maxTopics = positive("maxTopics", max);
      return this;
    }

    /** The largest publish request body; default 1 MiB. */
    public Builder maxBodyBytes(int max) {
      this.maxBodyBytes = positive("maxBodyBytes", max);
      return this;
    }

    /** How many recent updates replay from memory rather than the store; default 10,000. */
    public Builder historyWindow(int updates) {
      this.historyWindow = positive("historyWindow", updates);
      return this;
    }

    /**
     * The most publishes waiting for the store at once; past it a publish gets {@code 503} with
     * {@code Retry-After}. Default 100,000.
     */
    public Builder maxPendingPublishes(int max) {
      this.maxPendingPublishes = positive("maxPendingPublishes", max);
      return this;
    }

    /**
     * Closes subscriber connections older than {@code lifetime}; default none ({@code null}).
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder maxConnectionLifetime(Duration lifetime) {
      if (lifetime != null && (lifetime.isZero() || lifetime.isNegative())) {
        throw new IllegalArgumentException("maxConnectionLifetime must be positive: " + lifetime);
      }
      this.maxConnectionLifetime = lifetime;
      return this;
    }

    /**
     * The time a client has to send a complete request head (a deadline that trickling bytes do not
     * extend; {@code 408} if part of a request came, a plain close if nothing did); see {@link
     * HeraldServer.Builder#requestHeadTimeout}. Default {@value
     * HeraldServer#DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder requestHeadTimeout(Duration timeout) {
      this.requestHeadTimeout = timeout("requestHeadTimeout", timeout);
      return this;
    }

    /**
     * The time a publisher has to send a request body once its head is in; default {@value
     * HeraldServer#DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder requestBodyTimeout(Duration timeout) {
      this.requestBodyTimeout = timeout("requestBodyTimeout", timeout);
      return this;
    }

    /**
     * The time a TLS handshake may take; default {@value
     * HeraldServer#DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder tlsHandshakeTimeout(Duration timeout) {
      this.tlsHandshakeTimeout = timeout("tlsHandshakeTimeout", timeout);
      return this;
    }

    /**
     * The time a connection without a subscription (HTTP/1.1 keep-alive between requests, HTTP/2
     * with no open stream) may wait for its next request; subscriptions are never subject to it.
     * Default {@value HeraldServer#DEFAULT_IDLE_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout("idleTimeout", timeout);
      return this;
    }

    /** The hub; call {@link Hub#start()} to serve. */
    public Hub build() {
      return new Hub(this);
    }

    private static Duration timeout(String name, Duration value) {
      return HeraldServer.Builder.checkTimeout(name, value);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
