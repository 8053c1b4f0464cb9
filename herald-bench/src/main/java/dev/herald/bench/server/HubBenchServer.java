package dev.herald.bench.server;

import dev.herald.hub.Hub;
import dev.herald.hub.store.MemoryUpdateStore;
import dev.herald.hub.store.SqliteUpdateStore;
import dev.herald.hub.store.UpdateLog;
import dev.herald.redis.RedisSettings;
import dev.herald.redis.RedisSubscriptionDirectory;
import dev.herald.redis.RedisUpdateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Herald's Mercure hub as the load generator's target: a {@link Hub} for a closed network, where
 * anyone may subscribe ({@code GET /.well-known/mercure?match={ch}}, resuming after {@code
 * Last-Event-ID}) and publish ({@code POST /.well-known/mercure} with the form {@code
 * topic={ch}&data=…}, answered 200 with the update's ID). No dashboard.
 *
 * <pre>{@code
 * java --module-path … --module dev.herald.bench/dev.herald.bench.server.HubBenchServer 8096
 * java … HubBenchServer 8097 sqlite /tmp/hub-bench       # SQLite at /tmp/hub-bench/herald.db
 * java … HubBenchServer 8097 sqlite /tmp/hub-bench keep  # reopen it: recovery time
 * java … HubBenchServer 8101 redis redis://127.0.0.1:6391 node-1  # a cluster node
 * }</pre>
 *
 * <p>The store is the hub's default {@link MemoryUpdateStore}, or a {@link SqliteUpdateStore} with
 * its defaults ({@code synchronous=FULL}) whose database is deleted at start, so that runs are
 * comparable — unless {@code keep} is given — or a {@link RedisUpdateStore} (a node of a cluster,
 * named, with the Redis subscription directory; the stream is the Redis's, with its defaults).
 * Everything else is the hub's default.
 */
public final class HubBenchServer implements AutoCloseable {
  /** The database's file name in the directory given. */
  public static final String DATABASE = "herald.db";

  private final Hub hub;

  private HubBenchServer(Hub hub) {
    this.hub = hub;
  }

  /**
   * Starts a hub on {@code host}:{@code port} (0: any free port) with {@code store}, or the memory
   * store if {@code null}.
   */
  public static HubBenchServer start(String host, int port, UpdateLog store) {
    Hub.Builder b = builder(host, port);
    if (store != null) {
      b.store(store);
    }
    return new HubBenchServer(b.build().start());
  }

  /** Starts a cluster node named {@code node} on the Redis at {@code redisUri}. */
  public static HubBenchServer startNode(String host, int port, String redisUri, String node) {
    // A longer command timeout than the default second: three cold JVMs start at once on a loaded
    // machine, and a connection's handshake must not time out then (publishes never wait on it).
    RedisSettings settings =
        RedisSettings.builder()
            .uri(redisUri)
            .nodeName(node)
            .commandTimeout(Duration.ofSeconds(5))
            .build();
    RedisUpdateStore store = RedisUpdateStore.open(settings);
    return new HubBenchServer(
        builder(host, port)
            .nodeName(node)
            .store(store, store.bus())
            .subscriptionDirectory(RedisSubscriptionDirectory.open(settings))
            .build()
            .start());
  }

  private static Hub.Builder builder(String host, int port) {
    return Hub.builder()
        .host(host)
        .port(port)
        .anonymousSubscribers(true)
        .anonymousPublishers(true)
        .dashboard(false);
  }

  /** A SQLite store at {@code dir}/{@value #DATABASE}, emptied first unless {@code keep}. */
  public static SqliteUpdateStore sqlite(Path dir, boolean keep) {
    Path db = dir.resolve(DATABASE);
    if (!keep) {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        try {
          Files.deleteIfExists(dir.resolve(DATABASE + suffix));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + db + suffix, e);
        }
      }
    }
    return SqliteUpdateStore.builder().path(db).build();
  }

  /** The bound port. */
  public int port() {
    return hub.port();
  }

  /** The underlying hub. */
  public Hub hub() {
    return hub;
  }

  @Override
  public void close() {
    hub.close(Duration.ZERO);
  }

  /**
   * Serves on 127.0.0.1:{@code args[0]} (default 8096) until the process is stopped; {@code
   * args[1]} is {@code memory} (default) or {@code sqlite}, then {@code args[2]} the database's
   * directory and optionally {@code keep}; or {@code redis}, then the Redis URI and the node's
   * name.
   */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8096;
    String kind = args.length > 1 ? args[1] : "memory";
    UpdateLog store;
    HubBenchServer s = null;
    switch (kind) {
      case "memory":
        store = null;
        break;
      case "sqlite":
        if (args.length < 3) {
          throw new IllegalArgumentException("usage: PORT [memory | sqlite DIR [keep]]");
        }
        store = sqlite(Path.of(args[2]), args.length > 3 && args[3].equals("keep"));
        break;
      case "redis":
        if (args.length < 4) {
          throw new IllegalArgumentException("usage: PORT redis URI NODE");
        }
        store = null;
        s = startNode("127.0.0.1", port, args[2], args[3]);
        break;
      default:
        throw new IllegalArgumentException("store: memory, sqlite or redis, not " + kind);
    }
    if (s == null) {
      s = start("127.0.0.1", port, store);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(s::close, "herald-hub-bench-server-stop"));
    long sinceStart =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(t -> Duration.between(t, Instant.now()).toMillis())
            .orElse(-1L);
    System.out.println(
        "herald hub bench server on 127.0.0.1:"
            + s.port()
            + " pid="
            + ProcessHandle.current().pid()
            + " store="
            + (kind.equals("redis")
                ? "redis node " + s.hub.nodeName()
                : store == null ? "memory" : store)
            + " lastEventId="
            + s.hub.lastEventId()
            + " listeningAfterMillis="
            + sinceStart
            + " epoll="
            + io.netty.channel.epoll.Epoll.isAvailable());
    Thread.currentThread().join();
  }
}
