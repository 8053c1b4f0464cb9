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

  private final ServerSettings settings;
  private final ServerMetrics metrics = new ServerMetrics();
  private volatile OpenStreams streams = new OpenStreams(0); // until started
  private final ConnectionLimiter limiter;
  private final Routes routes;
  private EventLoopGroup group;
  private Channel serverChannel;
  private Tls tls;

  private HeraldServer(ServerSettings settings, Routes routes) {
    this.settings = settings;
    this.routes = routes;
    this.limiter = new ConnectionLimiter(settings.maxConnections(), metrics);
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
    if (tls == null && settings.tls()) {
      tls =
          settings.tlsSelfSigned()
              ? Tls.generateSelfSigned()
              : Tls.fromPem(settings.tlsCertificate(), settings.tlsKey());
    }
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(settings.eventLoopThreads(), io);
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    StreamSettings streamSettings =
        new StreamSettings(
            settings.maxPendingBytes(),
            settings.slowConsumerPolicy(),
            settings.slowConsumerRetry(),
            settings.heartbeat().toNanos(),
            metrics,
            LOG);
    streams = streamSettings.streams();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(
                    settings.maxPendingBytes() / 2, settings.maxPendingBytes()))
            .childHandler(
                new ConnectionInitializer(
                    new ConnectionInitializer.Settings(
                        settings.maxRequestLineBytes(),
                        settings.maxHeaderBytes(),
                        settings.maxBodyBytes(),
                        settings.maxPendingBytes(),
                        settings.maxConcurrentStreams(),
                        corsConfig(settings),
                        tls == null ? null : tls.context(),
                        settings.h2c(),
                        new Timeouts(
                            settings.requestHeadTimeout().toNanos(),
                            settings.requestBodyTimeout().toNanos(),
                            settings.idleTimeout().toNanos(),
                            settings.tlsHandshakeTimeout().toMillis())),
                    limiter,
                    routes,
                    streamSettings));
    try {
      serverChannel =
          bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the bind's checked IOException undeclared
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      group = null;
      throw new HeraldServerException("cannot bind " + settings.host() + ":" + settings.port(), e);
    }
    LOG.info("Herald listening on {}/ ({}{})", baseUrl(), epoll ? "epoll" : "nio", protocols());
    return this;
  }

  private String protocols() {
    if (tls != null) {
      return ", TLS with HTTP/2 and HTTP/1.1"
          + (tls.selfSigned() ? ", self-signed development certificate" : "");
    }
    return settings.h2c() ? ", HTTP/1.1 and h2c with prior knowledge" : ", HTTP/1.1";
  }

  /** The bound port: useful after {@code port(0)}. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The server's base URL, such as {@code https://127.0.0.1:8443}, without a trailing slash. */
  public String baseUrl() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
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

  /** The settings this server was built with. */
  public ServerSettings settings() {
    return settings;
  }

  /** The connection limit in force. */
  public int maxConnections() {
    return settings.maxConnections();
  }

  /** Shuts down gracefully over the configured drain period; see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(settings.drain());
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

  /**
   * Configures a {@link HeraldServer}: its {@link ServerSettings} (set all at once with {@link
   * #settings}, or one by one with the setters of the same names, which delegate to {@link
   * ServerSettings.Builder}) and its routes. Not thread-safe.
   */
  public static final class Builder {
    private ServerSettings.Builder settings = ServerSettings.builder();
    private final java.util.Set<String> probes = new java.util.HashSet<>();
    private final List<Routes.Route> routes = new ArrayList<>();

    private Builder() {}

    /** Takes every connection setting from {@code settings}, replacing those set so far. */
    public Builder settings(ServerSettings settings) {
      this.settings = settings.toBuilder();
      return this;
    }

    /** See {@link ServerSettings.Builder#host}. */
    public Builder host(String host) {
      settings.host(host);
      return this;
    }

    /** See {@link ServerSettings.Builder#port}. */
    public Builder port(int port) {
      settings.port(port);
      return this;
    }

    /** See {@link ServerSettings.Builder#eventLoopThreads}. */
    public Builder eventLoopThreads(int threads) {
      settings.eventLoopThreads(threads);
      return this;
    }

    /** See {@link ServerSettings.Builder#heartbeat}. */
    public Builder heartbeat(Duration interval) {
      settings.heartbeat(interval);
      return this;
    }

    /** See {@link ServerSettings.Builder#maxConnections}. */
    public Builder maxConnections(int maxConnections) {
      settings.maxConnections(maxConnections);
      return this;
    }

    /** See {@link ServerSettings.Builder#maxRequestLineBytes}. */
    public Builder maxRequestLineBytes(int bytes) {
      settings.maxRequestLineBytes(bytes);
      return this;
    }

    /** See {@link ServerSettings.Builder#maxHeaderBytes}. */
    public Builder maxHeaderBytes(int bytes) {
      settings.maxHeaderBytes(bytes);
      return this;
    }

    /** See {@link ServerSettings.Builder#maxBodyBytes}. */
    public Builder maxBodyBytes(int bytes) {
      settings.maxBodyBytes(bytes);
      return this;
    }

    /** See {@link ServerSettings.Builder#maxPendingBytes}. */
    public Builder maxPendingBytes(int bytes) {
      settings.maxPendingBytes(bytes);
      return this;
    }

    /** See {@link ServerSettings.Builder#slowConsumerPolicy}. */
    public Builder slowConsumerPolicy(SlowConsumerPolicy policy, Duration retryHint) {
      settings.slowConsumerPolicy(policy, retryHint);
      return this;
    }

    /** See {@link ServerSettings.Builder#drain}. */
    public Builder drain(Duration drain) {
      settings.drain(drain);
      return this;
    }

    /** See {@link ServerSettings.Builder#cors}. */
    public Builder cors(boolean credentials, String... origins) {
      settings.cors(credentials, origins);
      return this;
    }

    /** See {@link ServerSettings.Builder#tls}. */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      settings.tls(certificateChainPem, privateKeyPem);
      return this;
    }

    /** See {@link ServerSettings.Builder#tlsSelfSigned}. */
    public Builder tlsSelfSigned() {
      settings.tlsSelfSigned();
      return this;
    }

    /** See {@link ServerSettings.Builder#h2c}. */
    public Builder h2c(boolean enabled) {
      settings.h2c(enabled);
      return this;
    }

    /** See {@link ServerSettings.Builder#requestHeadTimeout}. */
    public Builder requestHeadTimeout(Duration timeout) {
      settings.requestHeadTimeout(timeout);
      return this;
    }

    /** See {@link ServerSettings.Builder#requestBodyTimeout}. */
    public Builder requestBodyTimeout(Duration timeout) {
      settings.requestBodyTimeout(timeout);
      return this;
    }

    /** See {@link ServerSettings.Builder#tlsHandshakeTimeout}. */
    public Builder tlsHandshakeTimeout(Duration timeout) {
      settings.tlsHandshakeTimeout(timeout);
      return this;
    }

    /** See {@link ServerSettings.Builder#idleTimeout}. */
    public Builder idleTimeout(Duration timeout) {
      settings.idleTimeout(timeout);
      return this;
    }

    /** See {@link ServerSettings.Builder#maxConcurrentStreams}. */
    public Builder maxConcurrentStreams(int streams) {
      settings.maxConcurrentStreams(streams);
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
      return new HeraldServer(settings.build(), Routes.of(routes, probes));
    }

    private static String prefixPattern(String urlPrefix) {
      return urlPrefix.endsWith("/") ? urlPrefix + "*" : urlPrefix + "/*";
    }
  }

  private static CorsConfig corsConfig(ServerSettings settings) {
    List<String> origins = settings.corsOrigins();
    if (origins.isEmpty()) {
      return null;
    }
    CorsConfigBuilder cors =
        origins.contains("*")
            ? CorsConfigBuilder.forAnyOrigin()
            : CorsConfigBuilder.forOrigins(origins.toArray(new String[0]));
    cors.allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
        .allowedRequestHeaders("Last-Event-ID", "Authorization", "Content-Type", "Cache-Control")
        .exposeHeaders("Link", "Mercure-Last-Event-ID", "Retry-After")
        .maxAge(3600);
    if (settings.corsCredentials()) {
      cors.allowCredentials();
    }
    return cors.build();
  }
}
