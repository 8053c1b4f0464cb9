package dev.herald.server;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link HeraldServer} serves connections — everything but its routes: the address, TLS and
 * HTTP/2, the limits on requests and connections, the connection timeouts, heartbeats, the outbound
 * budget of a stream and what happens past it, the drain period and CORS.
 *
 * <pre>{@code
 * ServerSettings settings = ServerSettings.builder()
 *     .port(8443)
 *     .tls(Path.of("cert.pem"), Path.of("key.pem"))
 *     .maxConnections(50_000)
 *     .build();
 * HeraldServer server = HeraldServer.builder().settings(settings).sse("/events", handler).build();
 * }</pre>
 *
 * <p>An application that embeds a server of its own kind (the hub) takes one of these, so that
 * every option of the server is reachable through it without being declared twice. Each setting is
 * checked once, by its setter in the {@link Builder}, which names the setting when it refuses a
 * value.
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} starts a changed copy.
 *
 * @since 0.1
 */
public final class ServerSettings {
  private final String host;
  private final int port;
  private final int eventLoopThreads;
  private final Duration heartbeat;
  private final int maxConnections;
  private final int maxRequestLineBytes;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private final int maxPendingBytes;
  private final SlowConsumerPolicy slowConsumerPolicy;
  private final Duration slowConsumerRetry;
  private final Duration drain;
  private final Path tlsCertificate;
  private final Path tlsKey;
  private final boolean tlsSelfSigned;
  private final boolean h2c;
  private final int maxConcurrentStreams;
  private final List<String> corsOrigins;
  private final boolean corsCredentials;
  private final Duration requestHeadTimeout;
  private final Duration requestBodyTimeout;
  private final Duration tlsHandshakeTimeout;
  private final Duration idleTimeout;

  private ServerSettings(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.eventLoopThreads = b.eventLoopThreads;
    this.heartbeat = b.heartbeat;
    this.maxConnections = b.maxConnections;
    this.maxRequestLineBytes = b.maxRequestLineBytes;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxPendingBytes = b.maxPendingBytes;
    this.slowConsumerPolicy = b.slowConsumerPolicy;
    this.slowConsumerRetry = b.slowConsumerRetry;
    this.drain = b.drain;
    this.tlsCertificate = b.tlsCertificate;
    this.tlsKey = b.tlsKey;
    this.tlsSelfSigned = b.tlsSelfSigned;
    this.h2c = b.h2c;
    this.maxConcurrentStreams = b.maxConcurrentStreams;
    this.corsOrigins = b.corsOrigins;
    this.corsCredentials = b.corsCredentials;
    this.requestHeadTimeout = b.requestHeadTimeout;
    this.requestBodyTimeout = b.requestBodyTimeout;
    this.tlsHandshakeTimeout = b.tlsHandshakeTimeout;
    this.idleTimeout = b.idleTimeout;
  }

  /** A builder with the defaults: {@code 127.0.0.1}, port 8080, plain HTTP/1.1. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults, as {@link #builder()} starts with them. */
  public static ServerSettings defaults() {
    return builder().build();
  }

  /** A builder that starts with these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The address to bind. */
  public String host() {
    return host;
  }

  /** The port to bind; 0 for any free one. */
  public int port() {
    return port;
  }

  /** The number of event-loop threads. */
  public int eventLoopThreads() {
    return eventLoopThreads;
  }

  /** The idle time after which a stream gets a heartbeat comment; zero for none. */
  public Duration heartbeat() {
    return heartbeat;
  }

  /** The most connections open at once. */
  public int maxConnections() {
    return maxConnections;
  }

  /** The longest request line, in bytes. */
  public int maxRequestLineBytes() {
    return maxRequestLineBytes;
  }

  /** The largest request header block, in bytes. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** The largest request body, in bytes. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** The outbound budget of one stream, in bytes. */
  public int maxPendingBytes() {
    return maxPendingBytes;
  }

  /** What happens to a stream over its budget. */
  public SlowConsumerPolicy slowConsumerPolicy() {
    return slowConsumerPolicy;
  }

  /** The {@code retry} hint sent to a slow consumer before it is closed. */
  public Duration slowConsumerRetry() {
    return slowConsumerRetry;
  }

  /** The period over which {@link HeraldServer#close()} spreads the closing of streams. */
  public Duration drain() {
    return drain;
  }

  /** Whether the server serves TLS: from PEM files, or self-signed. */
  public boolean tls() {
    return tlsCertificate != null || tlsSelfSigned;
  }

  /** The PEM file of the TLS certificate chain, or {@code null} if none was given. */
  public Path tlsCertificate() {
    return tlsCertificate;
  }

  /** The PEM file of the TLS private key, or {@code null} if none was given. */
  public Path tlsKey() {
    return tlsKey;
  }

  /** Whether the server serves TLS with a generated, self-signed certificate (development). */
  public boolean tlsSelfSigned() {
    return tlsSelfSigned;
  }

  /** Whether the server also accepts HTTP/2 in cleartext with prior knowledge. */
  public boolean h2c() {
    return h2c;
  }

  /** The most HTTP/2 streams one connection may have open at once. */
  public int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  /** The origins allowed cross-origin requests; empty for none (no CORS). */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /** Whether cross-origin requests may carry credentials (cookies). */
  public boolean corsCredentials() {
    return corsCredentials;
  }

  /** The time a client has to send a complete request head. */
  public Duration requestHeadTimeout() {
    return requestHeadTimeout;
  }

  /** The time a client has to send a request body once its head is in. */
  public Duration requestBodyTimeout() {
    return requestBodyTimeout;
  }

  /** The time a TLS handshake may take. */
  public Duration tlsHandshakeTimeout() {
    return tlsHandshakeTimeout;
  }

  /** The time a connection that carries no stream may wait for its next request. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerSettings && values().equals(((ServerSettings) o).values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  @Override
  public String toString() {
    return "ServerSettings" + values();
  }

  private List<Object> values() {
    return java.util.Arrays.asList(
        host,
        port,
        eventLoopThreads,
        heartbeat,
        maxConnections,
        maxRequestLineBytes,
        maxHeaderBytes,
        maxBodyBytes,
        maxPendingBytes,
        slowConsumerPolicy,
        slowConsumerRetry,
        drain,
        tlsCertificate,
        tlsKey,
        tlsSelfSigned,
        h2c,
        maxConcurrentStreams,
        corsOrigins,
        corsCredentials,
        requestHeadTimeout,
        requestBodyTimeout,
        tlsHandshakeTimeout,
        idleTimeout);
  }

  /**
   * Builds {@link ServerSettings}. Every setter checks its value at once and throws {@link
   * IllegalArgumentException} (or {@link NullPointerException}) naming the setting. Not
   * thread-safe.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private int eventLoopThreads = Runtime.getRuntime().availableProcessors();
    private Duration heartbeat = Duration.ofSeconds(HeraldServer.DEFAULT_HEARTBEAT_SECONDS);
    private int maxConnections = defaultMaxConnections();
    private int maxRequestLineBytes = HeraldServer.DEFAULT_MAX_REQUEST_LINE_BYTES;
    private int maxHeaderBytes = HeraldServer.DEFAULT_MAX_HEADER_BYTES;
    private int maxBodyBytes = HeraldServer.DEFAULT_MAX_BODY_BYTES;
    private int maxPendingBytes = HeraldServer.DEFAULT_MAX_PENDING_BYTES;
    private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE;
    private Duration slowConsumerRetry = Duration.ofSeconds(1);
    private Duration drain = Duration.ofMillis(HeraldServer.DEFAULT_DRAIN_MILLIS);
    private Path tlsCertificate;
    private Path tlsKey;
    private boolean tlsSelfSigned;
    private boolean h2c;
    private int maxConcurrentStreams = HeraldServer.DEFAULT_MAX_CONCURRENT_STREAMS;
    private List<String> corsOrigins = List.of();
    private boolean corsCredentials;
    private Duration requestHeadTimeout =
        Duration.ofSeconds(HeraldServer.DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS);
    private Duration requestBodyTimeout =
        Duration.ofSeconds(HeraldServer.DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS);
    private Duration tlsHandshakeTimeout =
        Duration.ofSeconds(HeraldServer.DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS);
    private Duration idleTimeout = Duration.ofSeconds(HeraldServer.DEFAULT_IDLE_TIMEOUT_SECONDS);

    private Builder() {}

    private Builder(ServerSettings s) {
      this.host = s.host;
      this.port = s.port;
      this.eventLoopThreads = s.eventLoopThreads;
      this.heartbeat = s.heartbeat;
      this.maxConnections = s.maxConnections;
      this.maxRequestLineBytes = s.maxRequestLineBytes;
      this.maxHeaderBytes = s.maxHeaderBytes;
      this.maxBodyBytes = s.maxBodyBytes;
      this.maxPendingBytes = s.maxPendingBytes;
      this.slowConsumerPolicy = s.slowConsumerPolicy;
      this.slowConsumerRetry = s.slowConsumerRetry;
      this.drain = s.drain;
      this.tlsCertificate = s.tlsCertificate;
      this.tlsKey = s.tlsKey;
      this.tlsSelfSigned = s.tlsSelfSigned;
      this.h2c = s.h2c;
      this.maxConcurrentStreams = s.maxConcurrentStreams;
      this.corsOrigins = s.corsOrigins;
      this.corsCredentials = s.corsCredentials;
      this.requestHeadTimeout = s.requestHeadTimeout;
      this.requestBodyTimeout = s.requestBodyTimeout;
      this.tlsHandshakeTimeout = s.tlsHandshakeTimeout;
      this.idleTimeout = s.idleTimeout;
    }

    /** The address to bind; default {@code 127.0.0.1} ({@code 0.0.0.0} for every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to bind, 0 for any free one; default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Event-loop threads; default the number of processors. */
    public Builder eventLoopThreads(int threads) {
      this.eventLoopThreads = positive("eventLoopThreads", threads);
      return this;
    }

    /**
     * The idle time after which a stream gets a heartbeat comment; {@link Duration#ZERO} turns
     * heartbeats off. Default {@value HeraldServer#DEFAULT_HEARTBEAT_SECONDS} s.
     */
    public Builder heartbeat(Duration interval) {
      Objects.requireNonNull(interval, "heartbeat");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("heartbeat must not be negative: " + interval);
      }
      this.heartbeat = interval;
      return this;
    }

    /**
     * Open connections at most; past it a new connection gets 503 with {@code Retry-After}.
     * Default: the process's open-file limit minus {@value HeraldServer#FILE_DESCRIPTOR_RESERVE}.
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = positive("maxConnections", maxConnections);
      return this;
    }

    /**
     * Longest request line (414 past it); default {@value
     * HeraldServer#DEFAULT_MAX_REQUEST_LINE_BYTES}.
     */
    public Builder maxRequestLineBytes(int bytes) {
      this.maxRequestLineBytes = positive("maxRequestLineBytes", bytes);
      return this;
    }

    /**
     * Largest header block (431 past it); default {@value HeraldServer#DEFAULT_MAX_HEADER_BYTES}.
     */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = positive("maxHeaderBytes", bytes);
      return this;
    }

    /** Largest request body (413 past it); default {@value HeraldServer#DEFAULT_MAX_BODY_BYTES}. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = positive("maxBodyBytes", bytes);
      return this;
    }

    /**
     * The outbound budget of one stream, in bytes (its write-buffer high watermark); default
     * {@value HeraldServer#DEFAULT_MAX_PENDING_BYTES}.
     */
    public Builder maxPendingBytes(int bytes) {
      this.maxPendingBytes = positive("maxPendingBytes", bytes);
      return this;
    }

    /**
     * What to do with a stream over its budget, and the {@code retry} hint sent before closing it;
     * default {@link SlowConsumerPolicy#CLOSE} with 1 s.
     */
    public Builder slowConsumerPolicy(SlowConsumerPolicy policy, Duration retryHint) {
      this.slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
      this.slowConsumerRetry = Objects.requireNonNull(retryHint, "retryHint");
      return this;
    }

    /** The period over which {@link HeraldServer#close()} spreads stream closes; default 2 s. */
    public Builder drain(Duration drain) {
      this.drain = Objects.requireNonNull(drain, "drain");
      return this;
    }

    /**
     * Allows cross-origin requests (CORS, with preflight) from {@code origins}; {@code "*"} allows
     * any, and none turns CORS off (the default). With {@code credentials}, browsers may send
     * cookies ({@code withCredentials}).
     */
    public Builder cors(boolean credentials, String... origins) {
      this.corsOrigins = List.of(origins);
      this.corsCredentials = credentials;
      return this;
    }

    /**
     * Serves TLS with the certificate chain and private key (PKCS#8) of these PEM files, offering
     * HTTP/2 and HTTP/1.1 through ALPN. The files are read when the server starts. Replaces {@link
     * #tlsSelfSigned()}.
     */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      this.tlsCertificate = Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      this.tlsKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      this.tlsSelfSigned = false;
      return this;
    }

    /**
     * Development mode: serves TLS with a self-signed certificate for {@code localhost}, generated
     * at start (needs BouncyCastle's {@code bcpkix-jdk18on} on the class or module path). Clients
     * must trust {@link HeraldServer#certificate()}. Never for production. Replaces {@link
     * #tls(Path, Path)}.
     */
    public Builder tlsSelfSigned() {
      this.tlsCertificate = null;
      this.tlsKey = null;
      this.tlsSelfSigned = true;
      return this;
    }

    /** Also accepts HTTP/2 in cleartext from clients that know it in advance; default off. */
    public Builder h2c(boolean enabled) {
      this.h2c = enabled;
      return this;
    }

    /**
     * HTTP/2 streams one connection may have open at once; default {@value
     * HeraldServer#DEFAULT_MAX_CONCURRENT_STREAMS}.
     */
    public Builder maxConcurrentStreams(int streams) {
      this.maxConcurrentStreams = positive("maxConcurrentStreams", streams);
      return this;
    }

    /**
     * The time a client has to send a complete request head: from the start of the connection (or
     * the end of its TLS handshake), or on a keep-alive connection from the first bytes of the next
     * request. A deadline, not an idle timer: bytes trickling in do not extend it. Past it, a
     * client that sent part of a request gets {@code 408}, one that sent nothing is disconnected.
     * An HTTP/2 connection must open its first stream within it. Default {@value
     * HeraldServer#DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than a day
     */
    public Builder requestHeadTimeout(Duration timeout) {
      this.requestHeadTimeout = timeout("requestHeadTimeout", timeout);
      return this;
    }

    /**
     * The time a client has to send a request body once the head is in (a deadline, as for the
     * head); past it, {@code 408} and the connection closes. Default {@value
     * HeraldServer#DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than a day
     */
    public Builder requestBodyTimeout(Duration timeout) {
      this.requestBodyTimeout = timeout("requestBodyTimeout", timeout);
      return this;
    }

    /**
     * The time a TLS handshake may take from the connection's start; past it the connection closes.
     * Default {@value HeraldServer#DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than a day
     */
    public Builder tlsHandshakeTimeout(Duration timeout) {
      this.tlsHandshakeTimeout = timeout("tlsHandshakeTimeout", timeout);
      return this;
    }

    /**
     * The time a connection that carries no stream may wait for its next request: an HTTP/1.1
     * keep-alive connection between requests, an HTTP/2 connection with no open stream. Past it the
     * connection closes. Event streams are never subject to it, nor to the request timeouts, once
     * they are routed: their heartbeats show they are alive. Default {@value
     * HeraldServer#DEFAULT_IDLE_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than a day
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout("idleTimeout", timeout);
      return this;
    }

    /** The settings. */
    public ServerSettings build() {
      return new ServerSettings(this);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    /** The one rule for a connection timeout: positive, at most a day. */
    private static Duration timeout(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(name + " must be positive and at most a day: " + value);
      }
      return value;
    }

    private static int defaultMaxConnections() {
      var os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
        long files =
            ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
        return (int)
            Math.max(16, Math.min(Integer.MAX_VALUE, files - HeraldServer.FILE_DESCRIPTOR_RESERVE));
      }
      return 10_000;
    }
  }
}
