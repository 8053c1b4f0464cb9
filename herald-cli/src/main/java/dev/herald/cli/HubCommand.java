package dev.herald.cli;

import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.store.MemoryUpdateStore;
import dev.herald.hub.store.SqliteUpdateStore;
import dev.herald.hub.store.UpdateLog;
import dev.herald.hub.store.UpdateStoreException;
import dev.herald.redis.RedisSettings;
import dev.herald.redis.RedisSubscriptionDirectory;
import dev.herald.redis.RedisUpdateStore;
import dev.herald.server.Broadcaster;
import dev.herald.server.ServerSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald hub}: runs Herald's Mercure hub until the process is stopped. Every option also
 * reads an environment variable ({@code HERALD_PORT}, {@code HERALD_JWT_SECRET}, …). With no key
 * configured it starts in development mode: a fresh key, {@code export} lines printed (the hub's
 * URL, a publisher and a subscriber token) that {@code herald pub}, {@code sub} and {@code token}
 * read, anonymous subscribers, an open dashboard. With a key, the dashboard needs a token that may
 * read the subscription API ({@code Hub.Builder.openDashboard}). The hub accepts pre-1.0 Mercure
 * clients beside 1.0 ones unless {@code --strict}; the secret of {@code --jwt-secret} is also its
 * legacy key ({@code TokenVerifier.Builder.legacyKey}). {@code --compat} is a deprecated no-op that
 * says so.
 */
@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Mercure hub.",
      "%nServes the Mercure protocol at /.well-known/mercure and a dashboard at /, with history"
          + " in SQLite under --data-dir (or, with --redis, in a Redis Stream shared by every"
          + " hub on it: a cluster). Every option can also be given as the environment"
          + " variable in brackets. Without --jwt-secret, --jwks-file or --jwks-url the hub runs"
          + " in development mode: it makes a key, prints export lines for a shell (the hub's URL,"
          + " a publisher and a subscriber token) that herald pub, sub and token read, and lets"
          + " anonymous subscribers in, and its dashboard is open to anyone. With keys, the"
          + " dashboard's data needs a token that may read the subscription API.",
      "%nThe hub serves Mercure 1.0 clients and deployed pre-1.0 ones (Symfony, API Platform,"
          + " Laravel) at once: topic= URI templates beside match=, lastEventID= beside"
          + " Last-Event-ID and last_event_id=, tokens with the mercure claim (verified with"
          + " --jwt-secret) in Authorization or the mercureAuthorization cookie. --strict refuses"
          + " the pre-1.0 forms.%n"
    })
final class HubCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "${env:HERALD_HOST:-127.0.0.1}",
      description = "The address to listen on; 0.0.0.0 for all [HERALD_HOST] (${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "${env:HERALD_PORT:-8080}",
      description = "The port [HERALD_PORT] (${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      defaultValue = "${env:HERALD_PUBLIC_URL}",
      description =
          "The hub's URL as publishers advertise it, e.g. https://hub.example.com/.well-known/"
              + "mercure [HERALD_PUBLIC_URL] (default: the bound address).")
  private String publicUrl;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      defaultValue = "${env:HERALD_TLS_CERT}",
      description = "TLS certificate chain (PEM) [HERALD_TLS_CERT].")
  private Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      defaultValue = "${env:HERALD_TLS_KEY}",
      description = "TLS private key (PEM) [HERALD_TLS_KEY].")
  private Path tlsKey;

  @Option(
      names = "--tls-self-signed",
      defaultValue = "${env:HERALD_TLS_SELF_SIGNED:-false}",
      description =
          "HTTPS with a self-signed certificate, for development [HERALD_TLS_SELF_SIGNED].")
  private boolean tlsSelfSigned;

  @Option(
      names = "--h2c",
      defaultValue = "${env:HERALD_H2C:-false}",
      description =
          "Also accept HTTP/2 in cleartext from clients that know it in advance (prior knowledge),"
              + " as behind a proxy that speaks h2c [HERALD_H2C].")
  private boolean h2c;

  @Option(
      names = "--jwt-secret",
      paramLabel = "SECRET",
      defaultValue = "${env:HERALD_JWT_SECRET}",
      description =
          "HMAC key (HS256/384/512) of the issuer, at least 32 bytes [HERALD_JWT_SECRET].")
  private String jwtSecret;

  @Option(
      names = "--jwks-file",
      paramLabel = "FILE",
      defaultValue = "${env:HERALD_JWKS_FILE}",
      description = "The issuer's public keys as a JWK Set file [HERALD_JWKS_FILE].")
  private Path jwksFile;

  @Option(
      names = "--jwks-url",
      paramLabel = "URL",
      defaultValue = "${env:HERALD_JWKS_URL}",
      description = "The issuer's JWK Set URL, refreshed every 5 minutes [HERALD_JWKS_URL].")
  private URI jwksUrl;

  @Option(
      names = "--issuer",
      paramLabel = "ISS",
      defaultValue = "${env:HERALD_ISSUER}",
      description =
          "The trusted issuer (iss) the keys belong to [HERALD_ISSUER] (default: the hub's origin).")
  private String issuer;

  @Option(
      names = "--audience",
      paramLabel = "AUD",
      defaultValue = "${env:HERALD_AUDIENCE}",
      description =
          "The resource identifier tokens must name in aud [HERALD_AUDIENCE] (default: the hub's URL).")
  private String audience;

  @Option(
      names = "--anonymous",
      defaultValue = "${env:HERALD_ANONYMOUS:-false}",
      description = "Let subscribers in without a token (public updates only) [HERALD_ANONYMOUS].")
  private boolean anonymous;

  @Option(
      names = "--strict",
      defaultValue = "${env:HERALD_STRICT:-false}",
      description =
          "Mercure 1.0 only: refuse, saying why, what only pre-1.0 clients send (topic=,"
              + " lastEventID=, tokens with the mercure claim, the mercureAuthorization cookie),"
              + " which the hub otherwise accepts beside the 1.0 forms [HERALD_STRICT].")
  private boolean strict;

  @Option(
      names = "--compat",
      defaultValue = "${env:HERALD_COMPAT:-false}",
      description =
          "Deprecated, does nothing: pre-1.0 clients are accepted by default (see --strict)"
              + " [HERALD_COMPAT].")
  private boolean compat;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      defaultValue = "${env:HERALD_CORS_ORIGINS}",
      description =
          "Browser origins allowed, with credentials; repeat or comma-separate [HERALD_CORS_ORIGINS].")
  private List<String> corsOrigins = new ArrayList<>();

  @Option(
      names = "--store",
      paramLabel = "KIND",
      defaultValue = "${env:HERALD_STORE:-sqlite}",
      description =
          "sqlite (durable, under --data-dir) or memory [HERALD_STORE] (${DEFAULT-VALUE}).")
  private String store;

  @Option(
      names = "--redis",
      paramLabel = "URI",
      defaultValue = "${env:HERALD_REDIS_URL}",
      description =
          "Cluster through Redis: history in a Redis Stream every node reads, in place of"
              + " --store and its --history-* bounds (see --redis-max-len, --redis-max-age);"
              + " redis://[[user:]password@]host[:port][/db], rediss:// for TLS,"
              + " redis-sentinel://host:port[,host:port]#master [HERALD_REDIS_URL].")
  private String redis;

  @Option(
      names = "--redis-stream",
      paramLabel = "KEY",
      defaultValue = "${env:HERALD_REDIS_STREAM:-" + RedisSettings.DEFAULT_STREAM_KEY + "}",
      description = "The stream's key [HERALD_REDIS_STREAM] (${DEFAULT-VALUE}).")
  private String redisStream;

  @Option(
      names = "--redis-wait-replicas",
      paramLabel = "N",
      defaultValue = "${env:HERALD_REDIS_WAIT_REPLICAS:-0}",
      description =
          "Acknowledge a publish only once N replicas have it (WAIT), so that a failover"
              + " cannot lose it [HERALD_REDIS_WAIT_REPLICAS] (${DEFAULT-VALUE}).")
  private int redisWaitReplicas;

  @Option(
      names = "--redis-wait-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_REDIS_WAIT_TIMEOUT:-PT1S}",
      description =
          "How long a publish waits for its replicas before it fails with 503, ISO-8601"
              + " [HERALD_REDIS_WAIT_TIMEOUT] (${DEFAULT-VALUE}).")
  private Duration redisWaitTimeout;

  @Option(
      names = "--redis-max-len",
      paramLabel = "N",
      defaultValue = "${env:HERALD_REDIS_MAX_LEN:-1000000}",
      description =
          "Updates the stream keeps, approximately (MAXLEN ~); 0 for no bound"
              + " [HERALD_REDIS_MAX_LEN] (${DEFAULT-VALUE}).")
  private long redisMaxLen;

  @Option(
      names = "--redis-max-age",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_REDIS_MAX_AGE:-P7D}",
      description =
          "Oldest update the stream keeps, approximately (MINID ~), ISO-8601"
              + " [HERALD_REDIS_MAX_AGE] (${DEFAULT-VALUE}).")
  private Duration redisMaxAge;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      defaultValue = "${env:HERALD_NODE_NAME}",
      description =
          "This hub's name among the nodes of a cluster [HERALD_NODE_NAME] (default: host:port).")
  private String nodeName;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:HERALD_DATA_DIR:-./data}",
      description = "Where the SQLite history lives [HERALD_DATA_DIR] (${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(
      names = "--history-max-updates",
      paramLabel = "N",
      defaultValue = "${env:HERALD_HISTORY_MAX_UPDATES:-1000000}",
      description = "Updates kept for replay [HERALD_HISTORY_MAX_UPDATES] (${DEFAULT-VALUE}).")
  private int maxUpdates;

  @Option(
      names = "--history-max-age",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_HISTORY_MAX_AGE:-P7D}",
      description = "Oldest update kept, ISO-8601 [HERALD_HISTORY_MAX_AGE] (${DEFAULT-VALUE}).")
  private Duration maxAge;

  @Option(
      names = "--history-max-bytes",
      paramLabel = "BYTES",
      defaultValue = "${env:HERALD_HISTORY_MAX_BYTES:-1073741824}",
      description = "History size bound [HERALD_HISTORY_MAX_BYTES] (${DEFAULT-VALUE}).")
  private long maxBytes;

  @Option(
      names = "--heartbeat",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_HEARTBEAT:-PT15S}",
      description = "Comment on idle streams every, ISO-8601; PT0S for none [HERALD_HEARTBEAT].")
  private Duration heartbeat;

  @Option(
      names = "--coalesce",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_COALESCE:-PT0.005S}",
      description =
          "Updates published within this window leave together, one write per connection;"
              + " ISO-8601, PT0S to write each at once, at most PT1S [HERALD_COALESCE].")
  private Duration coalesce;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "${env:HERALD_MAX_CONNECTIONS:-0}",
      description =
          "Most connections at once (default: the open-file limit less a reserve)"
              + " [HERALD_MAX_CONNECTIONS].")
  private int maxConnections;

  @Option(
      names = "--request-head-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_REQUEST_HEAD_TIMEOUT:-PT10S}",
      description =
          "A connection must send a complete request head within this, ISO-8601; bytes trickling"
              + " in do not extend it [HERALD_REQUEST_HEAD_TIMEOUT] (${DEFAULT-VALUE}).")
  private Duration requestHeadTimeout;

  @Option(
      names = "--request-body-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_REQUEST_BODY_TIMEOUT:-PT30S}",
      description =
          "A publish body must arrive within this once its head is in, ISO-8601"
              + " [HERALD_REQUEST_BODY_TIMEOUT] (${DEFAULT-VALUE}).")
  private Duration requestBodyTimeout;

  @Option(
      names = "--tls-handshake-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_TLS_HANDSHAKE_TIMEOUT:-PT10S}",
      description =
          "Longest TLS handshake, ISO-8601 [HERALD_TLS_HANDSHAKE_TIMEOUT] (${DEFAULT-VALUE}).")
  private Duration tlsHandshakeTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:HERALD_IDLE_TIMEOUT:-PT60S}",
      description =
          "A connection without a subscription is closed after waiting this long for its next"
              + " request, ISO-8601; subscriptions are not affected [HERALD_IDLE_TIMEOUT]"
              + " (${DEFAULT-VALUE}).")
  private Duration idleTimeout;

  @Option(
      names = "--access-log",
      defaultValue = "${env:HERALD_ACCESS_LOG:-false}",
      description =
          "Log every request: client address, method, path without query, status; never a"
              + " header or a token [HERALD_ACCESS_LOG].")
  private boolean accessLog;

  @Option(
      names = "--subscriptions",
      defaultValue = "${env:HERALD_SUBSCRIPTIONS:-false}",
      description =
          "Publish subscription events and serve the subscription API [HERALD_SUBSCRIPTIONS].")
  private boolean subscriptions;

  @Option(
      names = "--gap-events",
      defaultValue = "${env:HERALD_GAP_EVENTS:-false}",
      description =
          "Tell resuming browsers about an unknown Last-Event-ID with a herald-gap event"
              + " [HERALD_GAP_EVENTS].")
  private boolean gapEvents;

  @Option(
      names = "--no-dashboard",
      defaultValue = "false",
      description = "Do not serve the dashboard: its page at / and its JSON.")
  private boolean noDashboard;

  HubCommand() {}

  private static TokenMinter.Builder developmentToken(byte[] secret, String iss, String aud) {
    return TokenMinter.builder()
        .hmacSecret(secret)
        .issuer(iss)
        .audience(aud)
        .subject("herald-development")
        .ttl(Duration.ofDays(1));
  }

  /** {@code value} in single quotes for a POSIX shell, its own single quotes escaped. */
  static String shellQuoted(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** What the options come to: the hub's builder and what the banner shows. */
  private record Setup(
      Hub.Builder builder,
      String origin,
      String iss,
      String aud,
      boolean development,
      byte[] secret) {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Setup setup;
    Hub built;
    try {
      setup = setup();
      built = setup.builder().build();
    } catch (IllegalArgumentException e) { // a builder's check: a value out of range, a bad URL
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (UpdateStoreException e) { // the store cannot open: Redis unreachable, a bad file
      spec.commandLine().getErr().println("herald hub: " + e.getMessage());
      return 1;
    }
    String origin = setup.origin();
    String iss = setup.iss();
    String aud = setup.aud();
    boolean development = setup.development();
    byte[] secret = setup.secret();
    if (compat) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "herald hub: --compat (HERALD_COMPAT) is deprecated and does nothing: pre-1.0 Mercure"
              + " clients are accepted by default; --strict refuses them.");
      err.flush();
    }
    Hub hub = built.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hub.close(Duration.ofSeconds(5));
                  stopped.countDown();
                },
                "herald-hub-stop"));
    out.println("Herald hub: " + hub.url());
    if (!noDashboard) {
      out.println(
          "  dashboard: "
              + origin
              + "/"
              + (development ? "" : " (with a token that may read the subscriptions)"));
    }
    out.println("  history:   " + history());
    out.println("  node:      " + hub.nodeName());
    if (development) {
      out.println();
      out.println(
          "DEVELOPMENT MODE: no key was configured, so this hub made one for this run only,");
      out.println("and lets anonymous subscribers in. Do not expose it. Configure --jwt-secret,");
      out.println("--jwks-file or --jwks-url for anything else.");
      out.println();
      out.println("Paste into a shell, for herald pub, sub and token (HERALD_HUB_URL;");
      out.println("herald pub reads HERALD_TOKEN too):");
      out.println("  export HERALD_HUB_URL=" + shellQuoted(hub.url()));
      out.println("  # publisher token (publish on every topic, 24 h)");
      out.println(
          "  export HERALD_TOKEN="
              + developmentToken(secret, iss, aud).publishAll().build().mint());
      out.println("  # subscriber token (private updates of every topic, 24 h), for");
      out.println("  # herald sub -H \"Authorization: Bearer $HERALD_SUBSCRIBER_TOKEN\"");
      out.println(
          "  export HERALD_SUBSCRIBER_TOKEN="
              + developmentToken(secret, iss, aud).subscribeAll().build().mint());
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /** Where the history lives, as the banner says it (a Redis URI without its password). */
  private String history() {
    if (redis != null) {
      return "Redis "
          + RedisSettings.builder().uri(redis).build().redactedUri()
          + ", stream "
          + redisStream;
    }
    return store.equals("sqlite") ? dataDir.resolve("herald.db").toString() : "in memory";
  }

  /**
   * Turns the options into a hub builder; a builder's own check throws {@link
   * IllegalArgumentException}, which {@link #call} reports as a usage error.
   */
  private Setup setup() {
    boolean tls = tlsCert != null || tlsSelfSigned;
    Hub.Builder builder = Hub.builder();
    if (nodeName != null) {
      builder.nodeName(nodeName);
    }
    try {
      builder.coalesce(coalesce);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--coalesce must be between PT0S and "
              + Broadcaster.Builder.MAX_COALESCE
              + ": "
              + coalesce);
    }
    if (port == 0 && publicUrl == null) {
      throw new ParameterException(spec.commandLine(), "--port 0 needs --public-url");
    }
    String url = publicUrl != null ? publicUrl : Hub.url(tls, host, port, Hub.DEFAULT_PATH);
    URI hubUri = URI.create(url);
    String origin = hubUri.getScheme() + "://" + hubUri.getRawAuthority();
    String iss = issuer != null ? issuer : origin;
    String aud = audience != null ? audience : url;
    boolean development = jwtSecret == null && jwksFile == null && jwksUrl == null;
    byte[] secret;
    if (development) {
      secret = TokenMinter.generateHmacSecret().getBytes(StandardCharsets.UTF_8);
    } else {
      secret = jwtSecret == null ? null : jwtSecret.getBytes(StandardCharsets.UTF_8);
    }
    TokenVerifier.Builder verifier = TokenVerifier.builder().resource(aud).hubUrl(url);
    if (secret != null) {
      // The secret signs both generations: the issuer's access tokens, and the pre-1.0 tokens
      // (no iss, no aud) that applications sharing it mint, as Symfony's MERCURE_JWT_SECRET does.
      verifier.hmacKey(iss, secret).legacyKey(secret);
    }
    if (jwksFile != null) {
      verifier.jwksFile(iss, jwksFile);
    }
    if (jwksUrl != null) {
      verifier.jwksUrl(iss, jwksUrl, Duration.ofMinutes(5));
    }
    if (redis != null) {
      RedisUpdateStore cluster = redisStore();
      builder.store(cluster, cluster.bus());
      // every node's subscriptions, for the subscription API and the dashboard's cluster count
      try {
        builder.subscriptionDirectory(RedisSubscriptionDirectory.open(cluster.settings()));
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    } else {
      builder.store(localStore());
    }
    builder
        .server(serverSettings())
        .publicUrl(url)
        .resource(aud)
        .verifier(verifier.build())
        .anonymousSubscribers(anonymous || development)
        .strict(strict)
        .subscriptionsApi(subscriptions)
        .gapEvents(gapEvents)
        .dashboard(!noDashboard)
        .openDashboard(development);
    if (accessLog) {
      // The server logs accesses at DEBUG on this logger; slf4j-simple, the CLI's binding, reads
      // its level when the logger is first used, after this.
      System.setProperty("org.slf4j.simpleLogger.log.dev.herald.server.access", "debug");
    }
    return new Setup(builder, origin, iss, aud, development, secret);
  }

  /**
   * The Redis store of {@code --redis} and its settings, connected; a setting's check throws {@link
   * IllegalArgumentException}, and a Redis that cannot be reached an {@link UpdateStoreException}.
   */
  private RedisUpdateStore redisStore() {
    RedisSettings.Builder settings =
        RedisSettings.builder()
            .uri(redis)
            .streamKey(redisStream)
            .waitReplicas(redisWaitReplicas)
            .waitTimeout(redisWaitTimeout)
            .maxLength(redisMaxLen)
            .maxAge(redisMaxAge);
    if (nodeName != null) {
      settings.nodeName(nodeName);
    }
    return RedisUpdateStore.open(settings.build());
  }

  /** The store of {@code --store}: SQLite under {@code --data-dir}, or memory. */
  private UpdateLog localStore() {
    UpdateLog updates;
    switch (store) {
      case "sqlite":
        updates =
            SqliteUpdateStore.builder()
                .path(dataDir.resolve("herald.db"))
                .maxUpdates(maxUpdates)
                .maxAge(maxAge)
                .maxBytes(maxBytes)
                .build();
        break;
      case "memory":
        updates =
            MemoryUpdateStore.builder()
                .maxUpdates(maxUpdates)
                .maxAge(maxAge)
                .maxBytes(maxBytes)
                .build();
        break;
      default:
        throw new ParameterException(
            spec.commandLine(), "--store must be sqlite or memory: " + store);
    }
    return updates;
  }

  /** How the hub serves connections, from the options; a setting's own check throws. */
  private ServerSettings serverSettings() {
    ServerSettings.Builder server =
        ServerSettings.builder()
            .host(host)
            .port(port)
            .h2c(h2c)
            .heartbeat(heartbeat)
            .requestHeadTimeout(requestHeadTimeout)
            .requestBodyTimeout(requestBodyTimeout)
            .tlsHandshakeTimeout(tlsHandshakeTimeout)
            .idleTimeout(idleTimeout);
    if (maxConnections > 0) {
      server.maxConnections(maxConnections);
    }
    if (tlsCert != null) {
      if (tlsKey == null) {
        throw new ParameterException(spec.commandLine(), "--tls-cert needs --tls-key");
      }
      server.tls(tlsCert, tlsKey);
    } else if (tlsSelfSigned) {
      server.tlsSelfSigned();
    }
    List<String> origins = new ArrayList<>();
    for (String o : corsOrigins) {
      if (!o.isBlank()) {
        origins.add(o.strip());
      }
    }
    if (!origins.isEmpty()) {
      server.cors(true, origins.toArray(new String[0]));
    }
    return server.build();
  }
}
