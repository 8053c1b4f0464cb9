package dev.herald.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable SSE server on Netty: routes that stream events to one client each, plain routes
 * (for a publish endpoint) and static files (for demo pages).
 *
 * <pre>{@code
 * HeraldServer server = HeraldServer.builder()
 *     .port(8080)
 *     .sse("/clock", (request, stream) -> {
 *       stream.send(SseEvent.of("Hello from server"));
 *       ScheduledFuture<?> tick = timer.scheduleAtFixedRate(
 *           () -> stream.send(SseEvent.of(Instant.now().toString())), 1, 1, TimeUnit.SECONDS);
 *       stream.onClose(() -> tick.cancel(false));
 *     })
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>Every stream gets {@code Content-Type: text/event-stream; charset=utf-8}, {@code
 * Cache-Control: no-cache, no-store, no-transform}, {@code X-Accel-Buffering: no} and {@code
 * Connection: keep-alive} at once, a comment after every {@value #DEFAULT_HEARTBEAT_SECONDS} s
 * without output, and a bounded outbound buffer.
 *
 * <p>Thread-safe. {@link #close()} shuts down gracefully: it stops accepting, sends every stream a
 * {@code retry:} hint with jitter, and closes the streams paced over the drain period.
 *
 * @since 0.1
 */
public final class HeraldServer implements AutoCloseable {
  /** Default heartbeat interval, in seconds: {@value}. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 15;

  /** Default longest request line, in bytes: {@value}; longer ones get 414. */
  public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;

  /** Default largest request header block, in bytes: {@value}; larger ones get 431. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 16384;

  /** Default largest request body, in bytes: {@value} (1 MiB); larger ones get 413. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** Default outbound budget of one stream, in bytes: {@value} (512 KiB). */
  public static final int DEFAULT_MAX_PENDING_BYTES = 512 * 1024;

  /** File descriptors kept free when the connection limit derives from the open-file limit. */
  public static final int FILE_DESCRIPTOR_RESERVE = 256;

  /** Default number of concurrent HTTP/2 streams per connection: {@value}. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 256;

  /** Default drain period of {@link #close()}, in milliseconds: {@value}. */
  public static final int DEFAULT_DRAIN_MILLIS = 2000;

  /**
   * Default time a client has to send a complete request head, in seconds: {@value}. A head is a
   * few hundred bytes to {@value #DEFAULT_MAX_HEADER_BYTES} at most, one or two round trips on any
   * real link; 10 s leaves room for several TCP retransmissions and still frees a slot held by a
   * silent or trickling client within seconds.
   */
  public static final int DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS = 10;

  /**
   * Default time a client has to send a request body once its head is in, in seconds: {@value}.
   * Enough for a {@value #DEFAULT_MAX_BODY_BYTES}-byte body at about 35 KB/s, a poor mobile link;
   * publish bodies are usually a few kilobytes.
   */
  public static final int DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS = 30;

  /**
   * Default time a TLS handshake may take, in seconds: {@value} — Netty's own default, now set
   * explicitly: two round trips and the key exchange, with room for retransmissions.
   */
  public static final int DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS = 10;

  /**
   * Default time a connection that carries no stream may wait for its next request, in seconds:
   * {@value}. Long enough for a page's requests and a publisher's bursts to reuse one connection,
   * and as long as the idle timeout of common load balancers; behind one, set it above the
   * balancer's, so that the balancer, not the server, closes idle connections.
   */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

  private static final Logger LOG = LoggerFactory.getLogger(HeraldServer.class);

  private final Builder config;
  private final ServerMetrics metrics = new ServerMetrics();
  private volatile OpenStreams streams = new OpenStreams(0); // until started
  private final ConnectionLimiter limiter;
  private final Routes routes;
  private EventLoopGroup group;
  private Channel serverChannel;
  private Tls tls;

  private HeraldServer(Builder config) {
    this.config = config;
    this.routes = Routes.of(config.routes, config.probes);
    this.limiter = new ConnectionLimiter(config.maxConnections, metrics);
  }

  /** A builder with the defaults: 127.0.0.1, port 8080, no routes. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts serving.
   *
   * @return this server
   * @throws IllegalStateException if it was already started
   * @throws HeraldServerException if the address cannot be bound, or TLS cannot be set up
   */
  public synchronized HeraldServer start() {
    if (group != null) {
      throw new IllegalStateException("already started");
    }
    if (tls == null && config.tls != null) {
      tls = config.tls.get();
    }
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(config.eventLoopThreads, io);
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    StreamSettings settings =
        new StreamSettings(
            config.maxPendingBytes,
            config.slowConsumerPolicy,
            config.slowConsumerRetry,
            config.heartbeat.toNanos(),
            metrics,
            LOG);
    streams = settings.streams();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(config.maxPendingBytes / 2, config.maxPendingBytes))
            .childHandler(
                new ConnectionInitializer(
                    new ConnectionInitializer.Settings(
                        config.maxRequestLineBytes,
                        config.maxHeaderBytes,
                        config.maxBodyBytes,
                        config.maxPendingBytes,
                        config.maxConcurrentStreams,
                        config.corsConfig(),
                        tls == null ? null : tls.context(),
                        config.h2c,
                        new Timeouts(
                            config.requestHeadTimeout.toNanos(),
                            config.requestBodyTimeout.toNanos(),
                            config.idleTimeout.toNanos(),
                            config.tlsHandshakeTimeout.toMillis())),
                    limiter,
                    routes,
                    settings));
    try {
      serverChannel = bootstrap.bind(config.host, config.port).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the bind's checked IOException undeclared
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      group = null;
      throw new HeraldServerException("cannot bind " + config.host + ":" + config.port, e);
    }
    LOG.info("Herald listening on {}/ ({}{})", baseUrl(), epoll ? "epoll" : "nio", protocols());
    return this;
  }

  private String protocols() {
    if (tls != null) {
      return ", TLS with HTTP/2 and HTTP/1.1"
          + (tls.selfSigned() ? ", self-signed development certificate" : "");
    }
    return config.h2c ? ", HTTP/1.1 and h2c with prior knowledge" : ", HTTP/1.1";
  }

  /** The bound port: useful after {@code port(0)}. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The server's base URL, such as {@code https://127.0.0.1:8443}, without a trailing slash. */
  public String baseUrl() {
    String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
    return (tls != null ? "https" : "http") + "://" + host + ":" + port();
  }

  /**
   * The certificate the server presents with TLS (the generated one in development mode, for
   * clients to trust), or {@code null} without TLS.
   */
  public X509Certificate certificate() {
    return tls == null ? null : tls.certificate();
  }

  /** The number of streams currently open. */
  public int openStreams() {
    return streams.size();
  }

  /** The number of connections currently open, streams and plain requests. */
  public int openConnections() {
    return limiter.open();
  }

  /** Connections refused with 503 so far because of the connection limit. */
  public long refusedConnections() {
    return metrics.refusedConnections.sum();
  }

  ServerMetrics metrics() {
    return metrics;
  }

  /** Streams that went over their outbound budget so far. */
  public long slowConsumers() {
    return metrics.slowConsumers.sum();
  }

  /** The connection limit in force. */
  public int maxConnections() {
    return config.maxConnections;
  }

  /** Shuts down gracefully over the configured drain period; see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(config.drain);
  }

  /**
   * Stops accepting connections, sends each stream a {@code retry:} hint with jitter and closes the
   * streams at random moments spread over {@code drain}, so clients do not all reconnect at once;
   * then closes whatever is left and stops the event loops. Blocks until done; idempotent.
   */
  public synchronized void close(Duration drain) {
    if (group == null) {
      return;
    }
    if (group.next().inEventLoop()) {
      throw new IllegalStateException("close() would block an event loop");
    }
    serverChannel.close().syncUninterruptibly();
    long drainMillis = Math.max(0, drain.toMillis());
    streams.forEach(
        stream -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          long at = drainMillis == 0 ? 0 : random.nextLong(drainMillis);
          Duration retry = Duration.ofMillis(1000 + random.nextLong(1000 + drainMillis));
          stream.executor().schedule(() -> stream.shutdown(retry), at, TimeUnit.MILLISECONDS);
        });
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis + 1000);
    while (streams.size() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    limiter.closeAll();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    group = null;
    LOG.info("Herald stopped");
  }

  /** Configures a {@link HeraldServer}. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private int eventLoopThreads = Runtime.getRuntime().availableProcessors();
    private Duration heartbeat = Duration.ofSeconds(DEFAULT_HEARTBEAT_SECONDS);
    private int maxConnections = defaultMaxConnections();
    private int maxRequestLineBytes = DEFAULT_MAX_REQUEST_LINE_BYTES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
    private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE;
    private Duration slowConsumerRetry = Duration.ofSeconds(1);
    private Duration drain = Duration.ofMillis(DEFAULT_DRAIN_MILLIS);
    private java.util.function.Supplier<Tls> tls;
    private boolean h2c;
    private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
    private List<String> corsOrigins = List.of();
    private Duration requestHeadTimeout = Duration.ofSeconds(DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS);
    private Duration requestBodyTimeout = Duration.ofSeconds(DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS);
    private Duration tlsHandshakeTimeout =
        Duration.ofSeconds(DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS);
    private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    private final java.util.Set<String> probes = new java.util.HashSet<>();
    private boolean corsCredentials;
    private final List<Routes.Route> routes = new ArrayList<>();

    private Builder() {}

    /** The address to bind; default {@code 127.0.0.1}. */
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
     * heartbeats off. Default {@value #DEFAULT_HEARTBEAT_SECONDS} s.
     */
    public Builder heartbeat(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("heartbeat must not be negative: " + interval);
      }
      this.heartbeat = interval;
      return this;
    }

    /**
     * Open connections at most; past it a new connection gets 503 with {@code Retry-After}.
     * Default: the process's open-file limit minus {@value #FILE_DESCRIPTOR_RESERVE}.
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = positive("maxConnections", maxConnections);
      return this;
    }

    /** Longest request line (414 past it); default {@value #DEFAULT_MAX_REQUEST_LINE_BYTES}. */
    public Builder maxRequestLineBytes(int bytes) {
      this.maxRequestLineBytes = positive("maxRequestLineBytes", bytes);
      return this;
    }

    /** Largest header block (431 past it); default {@value #DEFAULT_MAX_HEADER_BYTES}. */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = positive("maxHeaderBytes", bytes);
      return this;
    }

    /** Largest request body (413 past it); default {@value #DEFAULT_MAX_BODY_BYTES}. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = positive("maxBodyBytes", bytes);
      return this;
    }

    /**
     * The outbound budget of one stream, in bytes (its write-buffer high watermark); default
     * {@value #DEFAULT_MAX_PENDING_BYTES}.
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
     * any. With {@code credentials}, browsers may send cookies ({@code withCredentials}).
     */
    public Builder cors(boolean credentials, String... origins) {
      this.corsOrigins = List.of(origins);
      this.corsCredentials = credentials;
      return this;
    }

    /**
     * Serves TLS with the certificate chain and private key (PKCS#8) of these PEM files, offering
     * HTTP/2 and HTTP/1.1 through ALPN. The files are read when the server starts.
     */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      this.tls = () -> Tls.fromPem(certificateChainPem, privateKeyPem);
      return this;
    }

    /**
     * Development mode: serves TLS with a self-signed certificate for {@code localhost}, generated
     * at start (needs BouncyCastle's {@code bcpkix-jdk18on} on the class or module path). Clients
     * must trust {@link HeraldServer#certificate()}. Never for production.
     */
    public Builder tlsSelfSigned() {
      this.tls = Tls::generateSelfSigned;
      return this;
    }

    /** Also accepts HTTP/2 in cleartext from clients that know it in advance; default off. */
    public Builder h2c(boolean enabled) {
      this.h2c = enabled;
      return this;
    }

    /**
     * The time a client has to send a complete request head: from the start of the connection (or
     * the end of its TLS handshake), or on a keep-alive connection from the first bytes of the next
     * request. A deadline, not an idle timer: bytes trickling in do not extend it. Past it, a
     * client that sent part of a request gets {@code 408}, one that sent nothing is disconnected.
     * An HTTP/2 connection must open its first stream within it. Default {@value
     * #DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS} s.
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
     * #DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than a day
     */
    public Builder requestBodyTimeout(Duration timeout) {
      this.requestBodyTimeout = timeout("requestBodyTimeout", timeout);
      return this;
    }

    /**
     * The time a TLS handshake may take from the connection's start; past it the connection closes.
     * Default {@value #DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS} s.
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
     * #DEFAULT_IDLE_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than a day
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout("idleTimeout", timeout);
      return this;
    }

    /**
     * HTTP/2 streams one connection may have open at once; default {@value
     * #DEFAULT_MAX_CONCURRENT_STREAMS}.
     */
    public Builder maxConcurrentStreams(int streams) {
      this.maxConcurrentStreams = positive("maxConcurrentStreams", streams);
      return this;
    }

    /** Streams events to each client of {@code GET path}. */
    public Builder sse(String path, SseHandler handler) {
      return sse(path, null, handler);
    }

    /**
     * Streams events to each client of {@code GET path}; a client without a {@code Last-Event-ID}
     * header may give it as query parameter {@code lastEventIdParam}.
     */
    public Builder sse(String path, String lastEventIdParam, SseHandler handler) {
      Routes.checkPattern(path);
      Objects.requireNonNull(handler, "handler");
      routes.add(new Routes.Route("GET", path, handler, null, null, lastEventIdParam));
      return this;
    }

    /** Answers {@code GET path}; a path ending in {@code /*} matches a prefix. */
    public Builder get(String path, HttpHandler handler) {
      return route("GET", path, handler);
    }

    /**
     * Answers {@code GET path} (an exact path) even on a connection past the connection limit,
     * where every other request gets {@code 503}: for health probes, which should learn that the
     * process is alive, or that it is full, rather than be refused. The connection closes after the
     * answer when it is past the limit, so a probe holds its slot only for one request.
     */
    public Builder probe(String path, HttpHandler handler) {
      if (path != null && path.endsWith("/*")) {
        throw new IllegalArgumentException("path of a probe must be exact: " + path);
      }
      get(path, handler);
      probes.add(path);
      return this;
    }

    /** Answers {@code POST path}; a path ending in {@code /*} matches a prefix. */
    public Builder post(String path, HttpHandler handler) {
      return route("POST", path, handler);
    }

    /** Answers {@code method path}. */
    public Builder route(String method, String path, HttpHandler handler) {
      Routes.checkPattern(path);
      Objects.requireNonNull(handler, "handler");
      routes.add(
          new Routes.Route(HttpMethod.valueOf(method).name(), path, null, handler, null, null));
      return this;
    }

    /**
     * Answers {@code method path} when the handler's stage completes: for answers that wait for
     * something off the event loop, such as a durable write.
     */
    public Builder routeAsync(String method, String path, AsyncHttpHandler handler) {
      Routes.checkPattern(path);
      Objects.requireNonNull(handler, "handler");
      routes.add(
          new Routes.Route(HttpMethod.valueOf(method).name(), path, null, null, handler, null));
      return this;
    }

    /** Serves the files of {@code directory} under {@code urlPrefix}. */
    public Builder staticFiles(String urlPrefix, Path directory) {
      return get(prefixPattern(urlPrefix), StaticFiles.fromDirectory(urlPrefix, directory));
    }

    /**
     * Serves the class-path resources under {@code base} of {@code loader} at {@code urlPrefix}.
     */
    public Builder staticResources(String urlPrefix, ClassLoader loader, String base) {
      return get(prefixPattern(urlPrefix), StaticFiles.fromResources(urlPrefix, loader, base));
    }

    /** The server; call {@link HeraldServer#start()} to serve. */
    public HeraldServer build() {
      return new HeraldServer(this);
    }

    private CorsConfig corsConfig() {
      if (corsOrigins.isEmpty()) {
        return null;
      }
      CorsConfigBuilder cors =
          corsOrigins.contains("*")
              ? CorsConfigBuilder.forAnyOrigin()
              : CorsConfigBuilder.forOrigins(corsOrigins.toArray(new String[0]));
      cors.allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
          .allowedRequestHeaders("Last-Event-ID", "Authorization", "Content-Type", "Cache-Control")
          .exposeHeaders("Link", "Mercure-Last-Event-ID", "Retry-After")
          .maxAge(3600);
      if (corsCredentials) {
        cors.allowCredentials();
      }
      return cors.build();
    }

    private static String prefixPattern(String urlPrefix) {
      return urlPrefix.endsWith("/") ? urlPrefix + "*" : urlPrefix + "/*";
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static Duration timeout(String name, Duration value) {
      return checkTimeout(name, value);
    }

    /**
     * Returns {@code value} if it is a valid connection timeout (positive, at most a day), for the
     * settings named {@code name}: {@link #requestHeadTimeout} and the like.
     *
     * @throws IllegalArgumentException naming {@code name} if it is not
     */
    public static Duration checkTimeout(String name, Duration value) {
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
        return (int) Math.max(16, Math.min(Integer.MAX_VALUE, files - FILE_DESCRIPTOR_RESERVE));
      }
      return 10_000;
    }
  }
}
