package dev.herald.reliability;

import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.store.SqliteUpdateStore;
import dev.herald.redis.RedisSettings;
import dev.herald.redis.RedisSubscriptionDirectory;
import dev.herald.redis.RedisUpdateStore;
import dev.herald.server.ServerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The main class of a hub's child JVM (see {@link HubProcess}): builds a {@link Hub} from {@code
 * --name=value} options, prints {@code READY port}, and serves until killed, stopped, or its parent
 * goes away (standard input closes).
 *
 * <p>Options: {@code --port}, {@code --sqlite=FILE} (default: in memory) with {@code
 * --sqlite-synchronous=NORMAL|FULL}, or {@code --redis=URI} (a cluster node: history in a Redis
 * Stream) with {@code --redis-stream=KEY}, {@code --redis-wait-replicas=N}, {@code
 * --redis-wait-timeout}, {@code --redis-max-len=N}, {@code --redis-max-age}, {@code
 * --redis-command-timeout}; {@code --node-name=NAME}; {@code --gap-events}; {@code
 * --anonymous-publishers}, {@code --anonymous-subscribers}, {@code --hmac-issuer} with {@code
 * --hmac-secret} (a verifier whose audience is the hub's URL); and the {@link Hub.Builder} and
 * {@link ServerSettings} settings of the same names, each only if given: {@code
 * --history-window=N}, {@code --max-connections=N}, {@code --heartbeat}, {@code
 * --request-head-timeout}, {@code --request-body-timeout}, {@code --idle-timeout} (durations as
 * {@code 500ms} or {@code 2s}).
 */
final class HubMain {
  private HubMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      options.put(
          eq < 0 ? arg.substring(2) : arg.substring(2, eq),
          eq < 0 ? "true" : arg.substring(eq + 1));
    }
    int port = Integer.parseInt(options.get("port"));
    String url = Hub.url(false, "127.0.0.1", port, Hub.DEFAULT_PATH);
    ServerSettings.Builder server = ServerSettings.builder().port(port).eventLoopThreads(2);
    integer(options, "max-connections").ifPresent(server::maxConnections);
    duration(options, "heartbeat").ifPresent(server::heartbeat);
    duration(options, "request-head-timeout").ifPresent(server::requestHeadTimeout);
    duration(options, "request-body-timeout").ifPresent(server::requestBodyTimeout);
    duration(options, "idle-timeout").ifPresent(server::idleTimeout);
    Hub.Builder builder =
        Hub.builder()
            .server(server.build())
            .publicUrl(url)
            .dashboard(false)
            .anonymousPublishers(options.containsKey("anonymous-publishers"))
            .anonymousSubscribers(options.containsKey("anonymous-subscribers"));
    if (options.containsKey("node-name")) {
      builder.nodeName(options.get("node-name"));
    }
    builder.gapEvents(options.containsKey("gap-events"));
    if (options.containsKey("redis")) {
      RedisUpdateStore store = RedisUpdateStore.open(redisSettings(options));
      builder.store(store, store.bus());
      builder.subscriptionDirectory(RedisSubscriptionDirectory.open(store.settings()));
    } else if (options.containsKey("sqlite")) {
      SqliteUpdateStore.Builder store =
          SqliteUpdateStore.builder().path(Path.of(options.get("sqlite")));
      if (options.containsKey("sqlite-synchronous")) {
        store.synchronous(SqliteUpdateStore.Synchronous.valueOf(options.get("sqlite-synchronous")));
      }
      builder.store(store.build());
    }
    integer(options, "history-window").ifPresent(builder::historyWindow);
    if (options.containsKey("hmac-secret")) {
      builder.verifier(
          TokenVerifier.builder()
              .resource(url)
              .hubUrl(url)
              .hmacKey(
                  options.get("hmac-issuer"),
                  options.get("hmac-secret").getBytes(StandardCharsets.UTF_8))
              .build());
    }
    Hub hub = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> hub.close(Duration.ZERO)));
    System.out.println("READY " + hub.port());
    System.out.flush();
    // The parent test holds our standard input open; if it dies, so do we.
    while (System.in.read() >= 0) {
      // nothing is ever sent
    }
    System.exit(3);
  }

  /** The Redis settings of the {@code --redis*} options, each only if given. */
  private static RedisSettings redisSettings(Map<String, String> options) {
    RedisSettings.Builder settings = RedisSettings.builder().uri(options.get("redis"));
    Optional.ofNullable(options.get("redis-stream")).ifPresent(settings::streamKey);
    integer(options, "redis-wait-replicas").ifPresent(settings::waitReplicas);
    duration(options, "redis-wait-timeout").ifPresent(settings::waitTimeout);
    Optional.ofNullable(options.get("redis-max-len"))
        .map(Long::valueOf)
        .ifPresent(settings::maxLength);
    duration(options, "redis-max-age").ifPresent(settings::maxAge);
    duration(options, "redis-command-timeout").ifPresent(settings::commandTimeout);
    Optional.ofNullable(options.get("node-name")).ifPresent(settings::nodeName);
    return settings.build();
  }

  private static Optional<Integer> integer(Map<String, String> options, String name) {
    return Optional.ofNullable(options.get(name)).map(Integer::valueOf);
  }

  /** {@code 500ms} or {@code 2s}. */
  private static Optional<Duration> duration(Map<String, String> options, String name) {
    return Optional.ofNullable(options.get(name))
        .map(
            v ->
                v.endsWith("ms")
                    ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                    : Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))));
  }
}
