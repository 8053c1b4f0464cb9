package dev.herald.spring.boot;

import dev.herald.publisher.SubscriberCookie;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Herald's settings, under {@code herald.*}: the hub (embedded, or an external one's URL), the
 * publisher, subscriber tokens and cookies, and the event streams of the application's own
 * controllers. Every property is listed in docs/spring.md.
 *
 * @since 0.2
 */
@ConfigurationProperties("herald")
public class HeraldProperties {
  private final Hub hub = new Hub();
  private final Publisher publisher = new Publisher();
  private final Subscriber subscriber = new Subscriber();
  private final Stream stream = new Stream();

  /** Creates the defaults. */
  public HeraldProperties() {}

  /** The hub. */
  public Hub getHub() {
    return hub;
  }

  /** The publisher. */
  public Publisher getPublisher() {
    return publisher;
  }

  /** Subscriber tokens and cookies. */
  public Subscriber getSubscriber() {
    return subscriber;
  }

  /** Event streams from the application's controllers. */
  public Stream getStream() {
    return stream;
  }

  /** The hub: embedded ({@code enabled}) or external ({@code url}). */
  public static class Hub {
    /** Run a Herald hub inside the application, on a port of its own. */
    private boolean enabled;

    /**
     * The hub's URL as publishers and browsers reach it: an external hub's (any Mercure hub), or
     * the embedded hub's public URL when it is behind a proxy (default its own address).
     */
    private String url;

    /** The embedded hub's address to bind (default all interfaces). */
    private String host;

    /** The embedded hub's port; 0 picks a free one at start. */
    private int port = 8081;

    /**
     * The HMAC key (at least 32 bytes) tokens are signed with: the publisher's and subscribers'.
     * The embedded hub trusts it; without one it generates a key at each start (tokens then last
     * until the next start).
     */
    private String jwtSecret;

    /** The tokens' issuer ({@code iss}); an external hub must trust it. */
    private String jwtIssuer = "herald-spring-boot";

    /** The tokens' audience ({@code aud}); default the hub's URL. */
    private String jwtAudience;

    /** Also write the pre-1.0 {@code mercure} claim in tokens, for older external hubs. */
    private boolean legacyClaim;

    /**
     * The cookie that carries a browser's subscriber token; the embedded hub reads the same.
     * Default {@code __Secure-mercure_access_token} for an https hub, {@code mercureAuthorization}
     * for an http one.
     */
    private String cookieName;

    /** Whether the embedded hub lets subscribers without a token receive public updates. */
    private boolean anonymousSubscribers;

    /** The embedded hub's SQLite history file; default the history is kept in memory. */
    private Path storePath;

    /** The embedded hub as a node of a cluster through Redis (needs herald-redis). */
    private final Redis redis = new Redis();

    /** The embedded hub's node name, in its metrics, dashboard and Redis; default host:port. */
    private String nodeName;

    /** How many recent updates the embedded hub keeps in memory for resuming subscribers. */
    private Integer historyWindow;

    /** The embedded hub's coalescing window. */
    private Duration coalesce;

    /** The longest an embedded hub's subscription lasts before the hub closes it. */
    private Duration maxConnectionLifetime;

    /** Origins (of the application's pages) the embedded hub accepts, with cookies (CORS). */
    private List<String> corsOrigins = new ArrayList<>();

    /** The embedded hub's heartbeat interval. */
    private Duration heartbeat;

    /** The embedded hub's connection limit. */
    private Integer maxConnections;

    /** The embedded hub's outbound byte budget per subscriber. */
    private Integer maxPendingBytes;

    /** Whether the embedded hub serves its dashboard. */
    private boolean dashboard;

    /** Whether the embedded hub serves the subscriptions API. */
    private boolean subscriptionsApi;

    /** How long the embedded hub lets streams end when the application stops. */
    private Duration drain = Duration.ofSeconds(5);

    /** Creates the defaults. */
    public Hub() {}

    /** See the field. */
    public boolean isEnabled() {
      return enabled;
    }

    /** See the field. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** See the field. */
    public String getUrl() {
      return url;
    }

    /** See the field. */
    public void setUrl(String url) {
      this.url = url;
    }

    /** See the field. */
    public String getHost() {
      return host;
    }

    /** See the field. */
    public void setHost(String host) {
      this.host = host;
    }

    /** See the field. */
    public int getPort() {
      return port;
    }

    /** See the field. */
    public void setPort(int port) {
      this.port = port;
    }

    /** See the field. */
    public String getJwtSecret() {
      return jwtSecret;
    }

    /** See the field. */
    public void setJwtSecret(String jwtSecret) {
      this.jwtSecret = jwtSecret;
    }

    /** See the field. */
    public String getJwtIssuer() {
      return jwtIssuer;
    }

    /** See the field. */
    public void setJwtIssuer(String jwtIssuer) {
      this.jwtIssuer = jwtIssuer;
    }

    /** See the field. */
    public String getJwtAudience() {
      return jwtAudience;
    }

    /** See the field. */
    public void setJwtAudience(String jwtAudience) {
      this.jwtAudience = jwtAudience;
    }

    /** See the field. */
    public boolean isLegacyClaim() {
      return legacyClaim;
    }

    /** See the field. */
    public void setLegacyClaim(boolean legacyClaim) {
      this.legacyClaim = legacyClaim;
    }

    /** See the field. */
    public String getCookieName() {
      return cookieName;
    }

    /** See the field. */
    public void setCookieName(String cookieName) {
      this.cookieName = cookieName;
    }

    /** See the field. */
    public boolean isAnonymousSubscribers() {
      return anonymousSubscribers;
    }

    /** See the field. */
    public void setAnonymousSubscribers(boolean anonymousSubscribers) {
      this.anonymousSubscribers = anonymousSubscribers;
    }

    /** See the field. */
    public Path getStorePath() {
      return storePath;
    }

    /** See the field. */
    public void setStorePath(Path storePath) {
      this.storePath = storePath;
    }

    /** See the field. */
    public Redis getRedis() {
      return redis;
    }

    /** See the field. */
    public String getNodeName() {
      return nodeName;
    }

    /** See the field. */
    public void setNodeName(String nodeName) {
      this.nodeName = nodeName;
    }

    /** See the field. */
    public Integer getHistoryWindow() {
      return historyWindow;
    }

    /** See the field. */
    public void setHistoryWindow(Integer historyWindow) {
      this.historyWindow = historyWindow;
    }

    /** See the field. */
    public Duration getCoalesce() {
      return coalesce;
    }

    /** See the field. */
    public void setCoalesce(Duration coalesce) {
      this.coalesce = coalesce;
    }

    /** See the field. */
    public Duration getMaxConnectionLifetime() {
      return maxConnectionLifetime;
    }

    /** See the field. */
    public void setMaxConnectionLifetime(Duration maxConnectionLifetime) {
      this.maxConnectionLifetime = maxConnectionLifetime;
    }

    /** See the field. */
    public List<String> getCorsOrigins() {
      return corsOrigins;
    }

    /** See the field. */
    public void setCorsOrigins(List<String> corsOrigins) {
      this.corsOrigins = corsOrigins;
    }

    /** See the field. */
    public Duration getHeartbeat() {
      return heartbeat;
    }

    /** See the field. */
    public void setHeartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
    }

    /** See the field. */
    public Integer getMaxConnections() {
      return maxConnections;
    }

    /** See the field. */
    public void setMaxConnections(Integer maxConnections) {
      this.maxConnections = maxConnections;
    }

    /** See the field. */
    public Integer getMaxPendingBytes() {
      return maxPendingBytes;
    }

    /** See the field. */
    public void setMaxPendingBytes(Integer maxPendingBytes) {
      this.maxPendingBytes = maxPendingBytes;
    }

    /** See the field. */
    public boolean isDashboard() {
      return dashboard;
    }

    /** See the field. */
    public void setDashboard(boolean dashboard) {
      this.dashboard = dashboard;
    }

    /** See the field. */
    public boolean isSubscriptionsApi() {
      return subscriptionsApi;
    }

    /** See the field. */
    public void setSubscriptionsApi(boolean subscriptionsApi) {
      this.subscriptionsApi = subscriptionsApi;
    }

    /** See the field. */
    public Duration getDrain() {
      return drain;
    }

    /** See the field. */
    public void setDrain(Duration drain) {
      this.drain = drain;
    }

    /**
     * The embedded hub's history in Redis, shared with every other hub node on the same stream
     * (docs/cluster.md says what each setting guarantees). Unset settings take herald-redis's
     * defaults.
     */
    public static class Redis {
      /**
       * The Redis URI: redis://[[user:]password@]host[:port][/database], rediss:// for TLS,
       * redis-sentinel://host:port[,host:port]/[database]#master for Sentinel. Unset: no Redis.
       */
      private String url;

      /** The Redis Stream key holding the history; every node of one cluster uses the same. */
      private String stream;

      /** Replicas that must have a publish (WAIT) before it is acknowledged; 0 for none. */
      private Integer waitReplicas;

      /** How long a publish waits for those replicas before a 503. */
      private Duration waitTimeout;

      /** The most updates the stream keeps (approximate trimming). */
      private Long maxLength;

      /** The oldest update the stream keeps, by age; unset keeps any age. */
      private Duration maxAge;

      /** See the field. */
      public String getUrl() {
        return url;
      }

      /** See the field. */
      public void setUrl(String url) {
        this.url = url;
      }

      /** See the field. */
      public String getStream() {
        return stream;
      }

      /** See the field. */
      public void setStream(String stream) {
        this.stream = stream;
      }

      /** See the field. */
      public Integer getWaitReplicas() {
        return waitReplicas;
      }

      /** See the field. */
      public void setWaitReplicas(Integer waitReplicas) {
        this.waitReplicas = waitReplicas;
      }

      /** See the field. */
      public Duration getWaitTimeout() {
        return waitTimeout;
      }

      /** See the field. */
      public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
      }

      /** See the field. */
      public Long getMaxLength() {
        return maxLength;
      }

      /** See the field. */
      public void setMaxLength(Long maxLength) {
        this.maxLength = maxLength;
      }

      /** See the field. */
      public Duration getMaxAge() {
        return maxAge;
      }

      /** See the field. */
      public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
      }
    }
  }

  /** The publisher to an external hub. */
  public static class Publisher {
    /** The longest wait for the hub's answer to one request. */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /** The most requests one publication makes while the hub answers 503. */
    private int maxAttempts = 5;

    /** The longest time from a publication's first request to its last retry. */
    private Duration maxRetryTime = Duration.ofSeconds(30);

    /** Creates the defaults. */
    public Publisher() {}

    /** See the field. */
    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    /** See the field. */
    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    /** See the field. */
    public int getMaxAttempts() {
      return maxAttempts;
    }

    /** See the field. */
    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /** See the field. */
    public Duration getMaxRetryTime() {
      return maxRetryTime;
    }

    /** See the field. */
    public void setMaxRetryTime(Duration maxRetryTime) {
      this.maxRetryTime = maxRetryTime;
    }
  }

  /** Subscriber tokens and the cookie that carries them. */
  public static class Subscriber {
    /** How long a subscriber token (and its cookie) lasts. */
    private Duration tokenTtl = Duration.ofHours(1);

    /** The cookie's Domain, for a hub on a sibling host; default none. */
    private String cookieDomain;

    /** The cookie's SameSite. */
    private SubscriberCookie.SameSite cookieSameSite = SubscriberCookie.SameSite.STRICT;

    /** Creates the defaults. */
    public Subscriber() {}

    /** See the field. */
    public Duration getTokenTtl() {
      return tokenTtl;
    }

    /** See the field. */
    public void setTokenTtl(Duration tokenTtl) {
      this.tokenTtl = tokenTtl;
    }

    /** See the field. */
    public String getCookieDomain() {
      return cookieDomain;
    }

    /** See the field. */
    public void setCookieDomain(String cookieDomain) {
      this.cookieDomain = cookieDomain;
    }

    /** See the field. */
    public SubscriberCookie.SameSite getCookieSameSite() {
      return cookieSameSite;
    }

    /** See the field. */
    public void setCookieSameSite(SubscriberCookie.SameSite cookieSameSite) {
      this.cookieSameSite = cookieSameSite;
    }
  }

  /** Event streams that controllers return ({@code TopicStream}). */
  public static class Stream {
    /** The interval of heartbeat comments; 0 sends none. */
    private Duration heartbeat = Duration.ofSeconds(15);

    /** The bytes a stream may hold unsent before its client is disconnected (it resumes). */
    private int maxPendingBytes = 1 << 20;

    /** The query parameter read for the last event ID when there is no Last-Event-ID header. */
    private String lastEventIdParameter = "lastEventId";

    /** How many events the default broadcaster keeps for clients that resume. */
    private int historySize = 1000;

    /** Creates the defaults. */
    public Stream() {}

    /** See the field. */
    public Duration getHeartbeat() {
      return heartbeat;
    }

    /** See the field. */
    public void setHeartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
    }

    /** See the field. */
    public int getMaxPendingBytes() {
      return maxPendingBytes;
    }

    /** See the field. */
    public void setMaxPendingBytes(int maxPendingBytes) {
      this.maxPendingBytes = maxPendingBytes;
    }

    /** See the field. */
    public String getLastEventIdParameter() {
      return lastEventIdParameter;
    }

    /** See the field. */
    public void setLastEventIdParameter(String lastEventIdParameter) {
      this.lastEventIdParameter = lastEventIdParameter;
    }

    /** See the field. */
    public int getHistorySize() {
      return historySize;
    }

    /** See the field. */
    public void setHistorySize(int historySize) {
      this.historySize = historySize;
    }
  }
}
