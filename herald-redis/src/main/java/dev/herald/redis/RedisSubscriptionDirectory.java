package dev.herald.redis;

import dev.herald.hub.store.ActiveSubscription;
import dev.herald.hub.store.SubscriptionDirectory;
import dev.herald.hub.store.UpdateStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription directory of a Redis cluster's nodes: each node keeps its active subscriptions
 * in a hash of its own ({@code <stream>:subs:<node>}, field the subscription's IRI) and its
 * subscriber count in a key of its own ({@code <stream>:node:<node>}), both expiring after {@link
 * #DEFAULT_TTL} unless its heartbeat (every third of that) renews them, so that a node killed
 * without a goodbye drops out of the listing and the count within the TTL; the set {@code
 * <stream>:nodes} names the nodes, and whoever finds a node's key gone removes it.
 *
 * <pre>{@code
 * RedisSettings redis = RedisSettings.builder().uri("redis://127.0.0.1:6379").build();
 * RedisUpdateStore store = RedisUpdateStore.open(redis);
 * Hub hub = Hub.builder().store(store, store.bus())
 *     .subscriptionDirectory(RedisSubscriptionDirectory.open(redis))
 *     .subscriptionsApi(true).build().start();
 * }</pre>
 *
 * <p>Nothing blocks the caller: {@link #add} and {@link #remove} update this node's map and send
 * their command without waiting (a failed write marks the hash for a full rewrite at the next
 * heartbeat, as does a hash Redis lost); {@link #find} reads every node's hash asynchronously; the
 * cluster's count is refreshed by the heartbeat, on a thread of the directory's own. A node lists
 * at most {@link #MAX_ENTRIES} subscriptions (past that, new ones are left out and a warning says
 * so once). Thread-safe.
 *
 * @since 0.2
 */
public final class RedisSubscriptionDirectory implements SubscriptionDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriptionDirectory.class);

  /** How long a node's entries outlive its last heartbeat: 15 seconds. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

  /** The most subscriptions one node lists: {@value}. */
  public static final int MAX_ENTRIES = 100_000;

  private static final int WRITE_BATCH = 1_000;

  private final RedisSettings settings;
  private final Duration ttl;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final String nodesKey;
  private final Map<String, ActiveSubscription> mine = new ConcurrentHashMap<>();
  private final AtomicBoolean full = new AtomicBoolean();
  private final AtomicBoolean rewrite = new AtomicBoolean(true);
  private final ScheduledExecutorService heartbeat;
  private volatile String node;
  private volatile IntSupplier subscribers = () -> 0;
  private volatile long others;
  private volatile boolean closed;

  private RedisSubscriptionDirectory(RedisSettings settings, Duration ttl) {
    this.settings = settings;
    this.ttl = ttl;
    this.nodesKey = settings.streamKey() + ":nodes";
    RedisURI uri = RedisURI.create(settings.uri());
    uri.setTimeout(settings.connectTimeout()); // the handshake's; commands have their own
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(
                SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
            .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
            .build());
    try {
      this.connection = client.connect(StringCodec.UTF8);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new UpdateStoreException(
          "cannot reach Redis at " + settings.redactedUri() + ": " + e.getMessage(), e);
    }
    this.redis = connection.async();
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-redis-directory");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects to the Redis of {@code settings}; its keys begin with the settings' stream key.
   *
   * @throws UpdateStoreException if Redis cannot be reached (the message names the URI without its
   *     password)
   */
  public static RedisSubscriptionDirectory open(RedisSettings settings) {
    return open(settings, DEFAULT_TTL);
  }

  /** As {@link #open(RedisSettings)}, with entries that expire {@code ttl} after a heartbeat. */
  static RedisSubscriptionDirectory open(RedisSettings settings, Duration ttl) {
    if (ttl.toMillis() < 30) {
      throw new IllegalArgumentException("ttl must be at least 30 ms: " + ttl);
    }
    return new RedisSubscriptionDirectory(settings, ttl);
  }

  @Override
  public void attach(String node, IntSupplier subscribers) {
    if (this.node != null) {
      throw new IllegalStateException("already attached, as node " + this.node);
    }
    this.node = node;
    this.subscribers = subscribers;
    long period = Math.max(10, ttl.toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
  }

  private String subsKey(String name) {
    return settings.streamKey() + ":subs:" + name;
  }

  private String nodeKey(String name) {
    return settings.streamKey() + ":node:" + name;
  }

  @Override
  public void add(ActiveSubscription subscription) {
    if (closed) {
      return;
    }
    if (mine.size() >= MAX_ENTRIES) {
      if (full.compareAndSet(false, true)) {
        LOG.warn(
            "more than {} active subscriptions on this node: the subscription API lists no more",
            MAX_ENTRIES);
      }
      return;
    }
    mine.put(subscription.id(), subscription);
    write(
        () -> redis.hset(subsKey(node), subscription.id(), DirectoryEntries.encode(subscription)));
  }

  @Override
  public void remove(ActiveSubscription subscription) {
    if (mine.remove(subscription.id()) != null && !closed) {
      write(() -> redis.hdel(subsKey(node), subscription.id()));
    }
  }

  /**
   * Sends a write without waiting for it (the caller may be an event loop); if it cannot be sent or
   * fails, the next heartbeat writes this node's hash anew.
   */
  private void write(Supplier<RedisFuture<?>> command) {
    try {
      command
          .get()
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  rewrite.set(true);
                }
              });
    } catch (RuntimeException e) {
      rewrite.set(true);
    }
  }

  /** Renews this node's keys (rewriting its hash if needed) and reads the others' counts. */
  private void beat() {
    if (closed) {
      return;
    }
    try {
      String name = node;
      long timeout = settings.commandTimeout().toMillis() * 4;
      redis
          .set(nodeKey(name), Integer.toString(subscribers.getAsInt()), SetArgs.Builder.px(ttl))
          .get(timeout, TimeUnit.MILLISECONDS);
      redis.sadd(nodesKey, name).get(timeout, TimeUnit.MILLISECONDS);
      boolean renewed = redis.pexpire(subsKey(name), ttl).get(timeout, TimeUnit.MILLISECONDS);
      if (rewrite.getAndSet(false) || (!renewed && !mine.isEmpty())) {
        rewriteHash(name, timeout);
      }
      others = countOthers(name, timeout);
    } catch (Exception e) {
      rewrite.set(true);
      LOG.debug("subscription directory heartbeat failed: {}", e.toString());
    }
  }

  private void rewriteHash(String name, long timeout) throws Exception {
    String key = subsKey(name);
    redis.del(key).get(timeout, TimeUnit.MILLISECONDS);
    Map<String, String> batch = new HashMap<>();
    for (ActiveSubscription s : mine.values()) {
      batch.put(s.id(), DirectoryEntries.encode(s));
      if (batch.size() == WRITE_BATCH) {
        redis.hset(key, batch).get(timeout, TimeUnit.MILLISECONDS);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      redis.hset(key, batch).get(timeout, TimeUnit.MILLISECONDS);
    }
    redis.pexpire(key, ttl).get(timeout, TimeUnit.MILLISECONDS);
  }

  private long countOthers(String name, long timeout) throws Exception {
    List<String> nodes =
        new ArrayList<>(redis.smembers(nodesKey).get(timeout, TimeUnit.MILLISECONDS));
    nodes.remove(name);
    if (nodes.isEmpty()) {
      return 0;
    }
    String[] keys = nodes.stream().map(this::nodeKey).toArray(String[]::new);
    long sum = 0;
    for (KeyValue<String, String> kv : redis.mget(keys).get(timeout, TimeUnit.MILLISECONDS)) {
      if (kv.hasValue()) {
        sum += Long.parseLong(kv.getValue());
      } else {
        // expired: a node that stopped without a goodbye; its hash expires alike
        redis.srem(nodesKey, kv.getKey().substring(kv.getKey().lastIndexOf(":node:") + 6));
      }
    }
    return sum;
  }

  @Override
  public CompletionStage<List<ActiveSubscription>> find(
      String matchType, String match, String subscriber) {
    String self = node;
    return redis
        .smembers(nodesKey)
        .thenCompose(
            nodes -> {
              List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>();
              for (String other : nodes) {
                if (!other.equals(self)) {
                  reads.add(redis.hgetall(subsKey(other)).toCompletableFuture());
                }
              }
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        List<ActiveSubscription> found = new ArrayList<>();
                        for (ActiveSubscription s : mine.values()) {
                          if (s.selectedBy(matchType, match, subscriber)) {
                            found.add(s);
                          }
                        }
                        for (CompletableFuture<Map<String, String>> read : reads) {
                          for (String value : read.join().values()) {
                            ActiveSubscription s = DirectoryEntries.decode(value);
                            if (s != null && s.selectedBy(matchType, match, subscriber)) {
                              found.add(s);
                            }
                          }
                        }
                        return found;
                      });
            })
        .exceptionally(
            failure -> {
              throw new UpdateStoreException(
                  "cannot read the subscription directory at "
                      + settings.redactedUri()
                      + ": "
                      + failure.getMessage(),
                  failure);
            });
  }

  @Override
  public long clusterSubscribers() {
    return subscribers.getAsInt() + others;
  }

  /** Stops the heartbeat and removes this node's keys (if Redis answers), then disconnects. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    String name = node;
    if (name != null) {
      try {
        redis.del(subsKey(name), nodeKey(name)).get(1, TimeUnit.SECONDS);
        redis.srem(nodesKey, name).get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug(
            "could not remove node {} from the subscription directory: {}", name, e.toString());
      }
    }
    abandon();
  }

  /** Disconnects without a goodbye, as a killed node would: its entries expire after the TTL. */
  void abandon() {
    closed = true;
    heartbeat.shutdownNow();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
