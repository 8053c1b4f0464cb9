package dev.herald.hub;

import dev.herald.hub.auth.AccessPolicy;
import dev.herald.hub.auth.TokenPolicy;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.LocalUpdateBus;
import dev.herald.hub.store.MemoryUpdateStore;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.SubscriptionDirectory;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateLog;
import dev.herald.server.Broadcaster;
import dev.herald.server.HeraldServer;
import dev.herald.server.HeraldServerMetrics;
import dev.herald.server.ServerSettings;
import dev.herald.server.SseStream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mercure hub: subscribers connect to {@code GET /.well-known/mercure} with topic matchers and
 * receive the updates publishers {@code POST} there, with authorization (JWT access tokens by
 * default, or an access policy of the application's own), history and replay, and (optionally)
 * active-subscription tracking. Run it standalone with {@code ./herald hub}, or embed it:
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

  /** The replay threads a hub makes when it is given no executor for them. */
  private static final int REPLAY_THREADS = 2;

  private final HubConfig config;
  private final UpdateLog updates;
  private final UpdateBus bus;
  private final HubLog log;
  private final Broadcaster<StoredUpdate> broadcaster;
  private final MeterRegistry registry;
  private final boolean ownsRegistry;
  private final ScheduledExecutorService timers;
  private final Executor replays;
  private final ScheduledExecutorService ownedTimers; // null: the embedder's, not shut down here
  private final ExecutorService ownedReplays; // likewise
  private final Subscriptions subscriptions;
  private final SubscriptionDirectory directory;
  private final ActivePatterns patterns = new ActivePatterns();
  private final HubMetrics metrics;
  private final AtomicInteger pending = new AtomicInteger();
  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
  private HeraldServer server;
  private HeraldServerMetrics serverMetrics;
  private String hubUrl;

  private Hub(HubConfig config) {
    this.config = config;
    this.updates = config.log() != null ? config.log() : MemoryUpdateStore.builder().build();
    if (config.bus() != null) {
      this.bus = config.bus();
    } else {
      this.bus = new LocalUpdateBus();
      updates.publishTo(bus);
    }
    this.log = new HubLog(updates, config.historyWindow());
    this.ownsRegistry = config.meterRegistry() == null;
    this.registry =
        ownsRegistry
            ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
            : config.meterRegistry();
    this.metrics = new HubMetrics(registry);
    AtomicInteger n = new AtomicInteger();
    this.ownedTimers =
        config.timerExecutor() != null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> daemon(r, "herald-hub-timer-" + n.incrementAndGet()));
    this.timers = ownedTimers != null ? ownedTimers : config.timerExecutor();
    this.ownedReplays =
        config.replayExecutor() != null
            ? null
            : Executors.newFixedThreadPool(
                REPLAY_THREADS, r -> daemon(r, "herald-hub-replay-" + n.incrementAndGet()));
    this.replays = ownedReplays != null ? ownedReplays : config.replayExecutor();
    this.broadcaster =
        Broadcaster.builder(log).coalesce(config.coalesce()).readHistoryOn(replays).build();
    this.directory =
        config.directory() != null ? config.directory() : new LocalSubscriptionDirectory();
    this.subscriptions = new Subscriptions(this, directory);
    bus.listen(
        log.last(),
        new UpdateBus.Listener() {
          @Override
          public void onUpdates(List<StoredUpdate> updates) {
            dispatch(updates);
          }

          @Override
          public void onHistoryLost() {
            historyLost();
          }
        });
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
    HeraldServer.Builder server = HeraldServer.builder().settings(config.server());
    Authorization authorization = new Authorization(this);
    new SubscribeEndpoint(this, authorization).register(server);
    new PublishEndpoint(this, authorization).register(server);
    subscriptions.register(server, authorization);
    new OperationsEndpoint(this).register(server);
    if (config.dashboard()) {
      new DashboardEndpoint(this, authorization).register(server);
    }
    this.server = server.build().start();
    serverMetrics = new HeraldServerMetrics(this.server);
    serverMetrics.bindTo(registry);
    metrics.bind(this);
    updates.bindTo(registry);
    ServerSettings settings = config.server();
    hubUrl =
        config.publicUrl() != null
            ? config.publicUrl()
            : url(settings.tls(), settings.host(), this.server.port(), config.path());
    directory.attach(nodeName(), this::subscribers);
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
   * that says why; a publish while too many wait for the store, with a {@link
   * HubOverloadedException}; one the store cannot take, with the store's failure.
   */
  public CompletableFuture<String> publish(Update update) {
    Objects.requireNonNull(update, "update");
    String problem = Publications.check(update, config.path(), url());
    if (problem != null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
    }
    return append(update).thenApply(stored -> stored.update().id());
  }

  /**
   * Appends an update (its ID assigned if missing) to the log; fails at once with a {@link
   * HubOverloadedException} while {@link Builder#maxPendingPublishes} appends wait for the log, so
   * a stalled disk cannot fill memory.
   */
  CompletableFuture<StoredUpdate> append(Update update) {
    if (pending.incrementAndGet() > config.maxPendingPublishes()) {
      pending.decrementAndGet();
      return CompletableFuture.failedFuture(
          new HubOverloadedException(
              "more than " + config.maxPendingPublishes() + " publishes wait for the store"));
    }
    Update withId = update.id() != null ? update : update.withId(Ids.update());
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
        // An update the policy does not restrict (with tokens, a public one) goes to every
        // exact-topic subscriber of its topics without asking them.
        broadcaster.publish(
            HubLog.topicSet(u.update()),
            HubLog.toEvent(u.update()),
            u,
            config.policy().restricts(u.update()));
        metrics.published();
      } catch (RuntimeException e) {
        // Stored, so replayed to those who resume; the next update is dispatched all the same.
        LOG.error("dispatching update {} failed", u.cursor(), e);
        log.missed(u);
      }
    }
  }

  /**
   * The bus lost the shared history: updates after the last one dispatched may be gone, and the IDs
   * of earlier ones resolve no more. The memory tail is dropped (a resumer must not get from this
   * node what the others no longer have), and every subscriber's stream is closed, so that it
   * reconnects with its last event ID and is told of the gap ({@code Mercure-Last-Event-ID:
   * earliest}, and the gap event if enabled) rather than silently miss updates.
   */
  private void historyLost() {
    LOG.warn(
        "the shared history was lost: closing {} subscriber streams so that they learn of the gap",
        streams.size());
    log.historyLost();
    for (SseStream stream : streams) {
      stream.close();
    }
  }

  /** Tracks a subscriber's stream until it closes, to close it if the history is lost. */
  void track(SseStream stream) {
    streams.add(stream);
    stream.onClose(() -> streams.remove(stream));
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The hub's URL, such as {@code http://localhost:8080/.well-known/mercure}. */
  public String url() {
    return hubUrl;
  }

  /**
   * The name of this hub among the nodes of a cluster: the one it was given ({@link
   * Builder#nodeName}), else its bound address as {@code host:port}; {@code null} before a hub
   * without a given name starts.
   */
  public String nodeName() {
    if (config.nodeName() != null) {
      return config.nodeName();
    }
    HeraldServer s = server;
    return s == null ? null : config.server().host() + ":" + s.port();
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

  /** The number of subscribers connected to this hub. */
  public int subscribers() {
    return broadcaster.subscribers();
  }

  /**
   * The number of subscribers connected to every node of the cluster this hub belongs to, as its
   * {@link Builder#subscriptionDirectory} last heard (another node's count is as fresh as its last
   * heartbeat); this hub's own count when it is on its own.
   */
  public long clusterSubscribers() {
    return directory.clusterSubscribers();
  }

  /**
   * The Prometheus text exposition of the hub's meters, which {@code GET /metrics} serves.
   *
   * @throws IllegalStateException if the hub was given a {@link Builder#meterRegistry} that is not,
   *     and does not hold, a {@code PrometheusMeterRegistry}
   */
  public String scrape() {
    PrometheusMeterRegistry prometheus = prometheus();
    if (prometheus == null) {
      throw new IllegalStateException(NO_PROMETHEUS);
    }
    return prometheus.scrape();
  }

  static final String NO_PROMETHEUS =
      "the hub's meters go to a MeterRegistry that is not a Prometheus registry";

  /** The Prometheus registry the hub's meters reach: its registry, or one of a composite's. */
  PrometheusMeterRegistry prometheus() {
    if (registry instanceof PrometheusMeterRegistry) {
      return (PrometheusMeterRegistry) registry;
    }
    if (registry instanceof CompositeMeterRegistry) {
      for (MeterRegistry r : ((CompositeMeterRegistry) registry).getRegistries()) {
        if (r instanceof PrometheusMeterRegistry) {
          return (PrometheusMeterRegistry) r;
        }
      }
    }
    return null;
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

  HubConfig config() {
    return config;
  }

  HubLog log() {
    return log;
  }

  UpdateLog updates() {
    return updates;
  }

  Broadcaster<StoredUpdate> broadcaster() {
    return broadcaster;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  Executor replays() {
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
   * Stops, closing subscribers over {@code drain}; then closes the log, the bus and the verifier,
   * and what the hub made for itself: its threads and its meter registry. Executors and a registry
   * it was given stay open (their owner closes them); its meters are removed from such a registry.
   */
  public void close(Duration drain) {
    if (server != null) {
      server.close(drain);
    }
    if (ownedTimers != null) {
      ownedTimers.shutdownNow();
    }
    if (ownedReplays != null) {
      ownedReplays.shutdownNow();
      try {
        ownedReplays.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    directory.close();
    updates.close();
    bus.close();
    if (config.verifier() != null) {
      config.verifier().close();
    }
    if (ownsRegistry) {
      registry.close();
    } else {
      metrics.close();
      if (serverMetrics != null) {
        serverMetrics.close();
      }
    }
  }

  /**
   * Configures a {@link Hub}. Every limit has a default; nothing is required. The limits that bound
   * the cost of matching are fixed, not configured: {@link #MAX_TOPIC_LENGTH} and {@link
   * TopicMatcher#MAX_LENGTH}.
   *
   * <p>How the hub serves connections — address, TLS, HTTP/2, limits, timeouts, heartbeats — is one
   * {@link ServerSettings} value ({@link #server}); {@link #port} and {@link #host} change those
   * two settings alone. {@link #build()} copies everything: changing the builder afterwards changes
   * no hub already built. Collaborators the hub is given (a meter registry, executors) are used as
   * they are and left open when it closes; those it makes itself, it closes. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private ServerSettings.Builder server = ServerSettings.builder();
    private String path = DEFAULT_PATH;
    private String nodeName;
    private String publicUrl;
    private String resource;
    private AccessPolicy accessPolicy;
    private TokenVerifier verifier;
    private boolean anonymousSubscribers;
    private boolean anonymousPublishers;
    private boolean strict;
    private String cookieName = TokenPolicy.DEFAULT_COOKIE_NAME;
    private UpdateLog log;
    private UpdateBus bus;
    private SubscriptionDirectory directory;
    private Duration coalesce = Broadcaster.Builder.DEFAULT_COALESCE;
    private boolean subscriptionsApi;
    private boolean dashboard = true;
    private Boolean openDashboard; // null: open only if nobody could present credentials
    private boolean gapEvents;
    private int maxMatchers = 100;
    private int maxTopics = 1000;
    private int historyWindow = 10_000;
    private int maxPendingPublishes = 100_000;
    private Duration maxConnectionLifetime;
    private MeterRegistry meterRegistry;
    private Executor replayExecutor;
    private ScheduledExecutorService timerExecutor;

    private Builder() {}

    /**
     * How the hub serves connections: every option of the server ({@link ServerSettings}: address,
     * TLS, h2c, event loops, connection limit, request limits, timeouts, heartbeat, slow-consumer
     * policy, outbound budget, CORS). Replaces every server setting made so far, {@link #port} and
     * {@link #host} included. Default {@link ServerSettings#defaults()}: 127.0.0.1, port 8080.
     *
     * <p>With CORS credentials (cookies), the wildcard origin {@code *} is refused by {@link
     * #build()}: a hub that takes tokens from cookies needs an explicit allow-list.
     */
    public Builder server(ServerSettings settings) {
      this.server = Objects.requireNonNull(settings, "settings").toBuilder();
      return this;
    }

    /**
     * The address to bind (the server setting {@link ServerSettings.Builder#host}); default
     * 127.0.0.1 ({@code 0.0.0.0} for every interface).
     */
    public Builder host(String host) {
      server.host(host);
      return this;
    }

    /** The port (the server setting {@link ServerSettings.Builder#port}); 0 picks a free one. */
    public Builder port(int port) {
      server.port(port);
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
     * The name of this hub among the nodes of a cluster, as the dashboard and the subscriptions
     * show it: at most 200 characters, no control characters. Default: its bound address, {@code
     * host:port}.
     */
    public Builder nodeName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "a node name has 1 to 200 characters, no control character");
      }
      this.nodeName = name;
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

    /**
     * Who may publish, subscribe, read which update and read the subscription API: the hub asks
     * this policy on every path, live and replay alike. Replaces the token rules that {@link
     * #verifier}, {@link #anonymousSubscribers} and {@link #anonymousPublishers} configure, so
     * {@link #build()} refuses a builder that sets those too. The hub neither closes the policy nor
     * what it holds. Default: a {@link TokenPolicy} made of those settings.
     */
    public Builder accessPolicy(AccessPolicy policy) {
      this.accessPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Verifies access tokens, for the default access policy ({@link TokenPolicy}); without one, no
     * token is valid. Closed with the hub.
     */
    public Builder verifier(TokenVerifier verifier) {
      this.verifier = verifier;
      return this;
    }

    /**
     * Whether subscribers without a token may connect (they never see private updates), under the
     * default access policy.
     */
    public Builder anonymousSubscribers(boolean allowed) {
      this.anonymousSubscribers = allowed;
      return this;
    }

    /**
     * Whether anyone may publish without a token, under the default access policy. Only for hubs on
     * a trusted network that no untrusted client can reach.
     */
    public Builder anonymousPublishers(boolean allowed) {
      this.anonymousPublishers = allowed;
      return this;
    }

    /**
     * Whether to refuse the forms only pre-1.0 Mercure clients send. By default (off) the hub
     * serves both generations at once, with the same authorization and history: the {@code topic}
     * subscribe parameter (an RFC 6570 URI template, {@code *} or an exact topic) beside {@code
     * match} and {@code match_urlpattern}; the {@code lastEventID} query parameter beside {@code
     * Last-Event-ID} and {@code last_event_id}; and, under the default access policy, legacy tokens
     * (the {@code mercure} claim, see {@link TokenVerifier}) in the {@code mercureAuthorization}
     * cookie too. Strict, each of these is refused with {@code 400} or {@code 401} saying why.
     *
     * @since 0.2
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * The cookie that carries a browser's token, for the default access policy and the protected
     * resource metadata; default {@value TokenPolicy#DEFAULT_COOKIE_NAME}.
     */
    public Builder cookieName(String name) {
      this.cookieName = Objects.requireNonNull(name, "name");
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

    /**
     * Where the subscription API finds active subscriptions, and the dashboard the cluster's
     * subscriber count: for a cluster node, a directory its nodes share (herald-redis's), so that
     * every node answers for all of them. Closed with the hub. Default: this hub's subscriptions,
     * in memory.
     */
    public Builder subscriptionDirectory(SubscriptionDirectory directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The shortest time between two passes of an event loop over its subscribers (default 5 ms):
     * updates published within it leave together, one write per connection. See {@link
     * Broadcaster.Builder#coalesce}, whose rule this is.
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

    /**
     * Whether to serve the dashboard: its page at {@code /} and the JSON it reads ({@code /stats},
     * {@code /dashboard/settings}, {@code /dashboard/history}). Default on. Off, the hub serves
     * none of them (the subscription API stays, by its own setting).
     */
    public Builder dashboard(boolean enabled) {
      this.dashboard = enabled;
      return this;
    }

    /**
     * Whether the dashboard's figures and settings, and the subscription API, answer anyone, with
     * or without credentials: a development hub's choice ({@code ./herald hub} without keys), never
     * a production one's. Not open, they answer only requests the access policy lets read the
     * subscription API ({@link AccessPolicy#readSubscriptions} of {@code
     * /.well-known/mercure/subscriptions}: with tokens, one whose {@code subscribe} selectors cover
     * that URL), and the page shows anonymous visitors nothing but a field for a token. What the
     * dashboard shows of updates (its history browser, its subscriptions) is always what the policy
     * lets the visitor read, open or not. Without the {@link #dashboard}, nothing is opened.
     * Default: open only when the hub could verify no credentials (no {@link #verifier} and no
     * {@link #accessPolicy}).
     */
    public Builder openDashboard(boolean open) {
      this.openDashboard = open;
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

    /** How many recent updates replay from memory rather than the store; default 10,000. */
    public Builder historyWindow(int updates) {
      this.historyWindow = positive("historyWindow", updates);
      return this;
    }

    /**
     * The most publishes waiting for the store at once; past it a publish gets {@code 503} with
     * {@code Retry-After} ({@link HubOverloadedException} from {@link Hub#publish}). Default
     * 100,000.
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
     * Where the hub's meters go (the server's {@code herald.*} and the hub's {@code herald.hub.*}):
     * an application's own registry, left open when the hub closes (the hub removes its meters from
     * it then). {@code GET /metrics} serves the Prometheus text when this registry is a {@code
     * PrometheusMeterRegistry} or a composite holding one, and {@code 404} otherwise. Give each hub
     * of one registry its own common tags (a {@code MeterFilter}) if several share it. Default: a
     * Prometheus registry of the hub's own, closed with it.
     */
    @SuppressWarnings("exports") // Micrometer, an automatic module: the application brings it
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Where subscribers that resume (with a last event ID) are subscribed and their history read:
     * the work that may block on the store, never done on an event loop. Left running when the hub
     * closes; tasks it still runs then find the hub's streams closed. Default: two daemon threads
     * of the hub's own, stopped with it.
     */
    public Builder replayExecutor(Executor executor) {
      this.replayExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Where the hub schedules the end of subscriptions (token expiry, {@link
     * #maxConnectionLifetime}). Left running when the hub closes. Default: one daemon thread of the
     * hub's own, stopped with it.
     */
    public Builder timerExecutor(ScheduledExecutorService executor) {
      this.timerExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The hub, with a copy of this builder's configuration; call {@link Hub#start()} to serve.
     *
     * @throws IllegalArgumentException if the server settings allow CORS with credentials from
     *     every origin ({@code *})
     * @throws IllegalStateException if an {@link #accessPolicy} is set together with the default
     *     policy's {@link #verifier}, {@link #anonymousSubscribers} or {@link #anonymousPublishers}
     */
    public Hub build() {
      ServerSettings settings = server.build();
      if (settings.corsCredentials() && settings.corsOrigins().contains("*")) {
        throw new IllegalArgumentException(
            "CORS with credentials needs an explicit list of origins, not *");
      }
      if (accessPolicy != null
          && (verifier != null || anonymousSubscribers || anonymousPublishers)) {
        throw new IllegalStateException(
            "an accessPolicy replaces verifier, anonymousSubscribers and anonymousPublishers:"
                + " set one or the others");
      }
      AccessPolicy policy =
          accessPolicy != null
              ? accessPolicy
              : TokenPolicy.builder()
                  .verifier(verifier)
                  .anonymousSubscribers(anonymousSubscribers)
                  .anonymousPublishers(anonymousPublishers)
                  .cookieName(cookieName)
                  .strict(strict)
                  .build();
      return new Hub(
          new HubConfig(
              settings,
              path,
              nodeName,
              publicUrl,
              resource,
              policy,
              verifier,
              accessPolicy == null && anonymousSubscribers,
              accessPolicy == null && anonymousPublishers,
              strict,
              cookieName,
              log,
              bus,
              directory,
              coalesce,
              subscriptionsApi,
              dashboard,
              openDashboard != null ? openDashboard : verifier == null && accessPolicy == null,
              gapEvents,
              maxMatchers,
              maxTopics,
              historyWindow,
              maxPendingPublishes,
              maxConnectionLifetime,
              meterRegistry,
              replayExecutor,
              timerExecutor));
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
