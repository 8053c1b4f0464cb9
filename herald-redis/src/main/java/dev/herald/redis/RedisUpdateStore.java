package dev.herald.redis;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateLog;
import dev.herald.hub.store.UpdateStoreException;
import dev.herald.server.Cursor;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's history in a Redis Stream shared by the nodes of a cluster: the {@link UpdateLog} of
 * every node, with {@link #bus()}, the {@link UpdateBus} that reads the stream.
 *
 * <pre>{@code
 * RedisUpdateStore store =
 *     RedisUpdateStore.open(RedisSettings.builder().uri("redis://127.0.0.1:6379").build());
 * Hub hub = Hub.builder().store(store, store.bus()).build().start(); // closes the store
 * }</pre>
 *
 * <ul>
 *   <li>{@link #append} runs one script: {@code XADD} (with {@code *}: Redis's clock orders the
 *       cluster, no node's), trimming by count and age, and the ID lookup, atomically; the future
 *       completes once Redis replied, or, with {@link RedisSettings#waitReplicas}, once a {@code
 *       WAIT} after it reports that many replicas (fewer fails the append: the update is in the
 *       primary's stream and may still be delivered, but a failover could lose it). It never
 *       blocks: commands are pipelined, on a connection bound to the publish request's event loop
 *       (see {@link LoopConnections}: no thread hand-off) or on the store's shared one.
 *   <li>The stream ID is the cursor ({@code Cursor.of(ms, seq)}); {@link #read} is {@code XRANGE}
 *       with an exclusive start; {@link #lastEvicted} is the ID before the first entry held (or the
 *       stream's {@code max-deleted-entry-id} if later: Redis 7.0 does not record trimming).
 *   <li>The history has an epoch, a random value beside the stream. A Redis that lost its data
 *       (restarted without persistence, flushed) has none: the next node to look begins a new one,
 *       the others see it change, and each tells its hub ({@link
 *       UpdateBus.Listener#onHistoryLost}). Appends carry the epoch they know, so none lands in a
 *       history a node has not joined.
 * </ul>
 *
 * <p>Redis 7.0 or later. Thread-safe. While Redis is unreachable, appends fail at once (within the
 * {@linkplain RedisSettings#commandTimeout command timeout} if it hangs) and {@link #isHealthy} is
 * false; the connections reconnect by themselves.
 *
 * @since 0.2
 */
public final class RedisUpdateStore implements UpdateLog {
  private static final Logger LOG = LoggerFactory.getLogger(RedisUpdateStore.class);

  /**
   * How long the bus's {@code XREAD} blocks, and so how often it looks at the epoch: {@value} ms.
   */
  static final long BLOCK_MILLIS = 1000;

  private final RedisSettings settings;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final String[] keys; // stream, epoch, ids, order
  private final LoopConnections appends;
  private final RedisMetrics metrics = new RedisMetrics();
  private final StreamBus bus;
  private final AtomicReference<Cursor> lastAppended = new AtomicReference<>(Cursor.START);
  private volatile String epoch;
  private volatile boolean closed;

  private RedisUpdateStore(RedisSettings settings) {
    this.settings = settings;
    String key = settings.streamKey();
    this.keys = new String[] {key, key + ":epoch", key + ":ids", key + ":order"};
    this.resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .commandLatencyRecorder(CommandLatencyRecorder.disabled()) // RedisMetrics has ours
            .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
            .build();
    RedisURI uri = RedisURI.create(settings.uri());
    uri.setTimeout(settings.connectTimeout()); // the handshake's; commands have theirs, below
    if (settings.nodeName() != null) {
      uri.setClientName("herald:" + settings.nodeName());
    }
    this.client = RedisClient.create(resources, uri);
    client.setOptions(options(settings));
    try {
      this.connection = client.connect(StringCodec.UTF8);
    } catch (RuntimeException e) {
      shutdownClient();
      throw new UpdateStoreException(
          "cannot reach Redis at " + settings.redactedUri() + ": " + e.getMessage(), e);
    }
    this.redis = connection.async();
    this.appends =
        new LoopConnections(
            new LoopConnections.Channel(connection, replicaWait(redis)),
            resources,
            uri,
            client.getOptions(),
            this::replicaWait);
    this.bus = new StreamBus(this, client, keys[0]);
  }

  /** Batches the {@code WAIT}s of one connection; null when appends do not wait for replicas. */
  private ReplicaWait replicaWait(RedisAsyncCommands<String, String> commands) {
    return settings.waitReplicas() == 0
        ? null
        : new ReplicaWait(commands, settings.waitReplicas(), settings.waitTimeout().toMillis());
  }

  /**
   * Connects to Redis and joins the history there (beginning one if there is none).
   *
   * @throws UpdateStoreException if Redis cannot be reached or refuses (the message names the URI
   *     without its password)
   */
  public static RedisUpdateStore open(RedisSettings settings) {
    RedisUpdateStore store = new RedisUpdateStore(settings);
    try {
      store.epoch = store.begin(Cursor.START);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.info("history in Redis at {}, stream {}", settings.redactedUri(), settings.streamKey());
    return store;
  }

  private static ClientOptions options(RedisSettings settings) {
    long command = settings.commandTimeout().toMillis();
    long wait = settings.waitReplicas() == 0 ? 0 : settings.waitTimeout().toMillis();
    TimeoutOptions.TimeoutSource timeouts =
        new TimeoutOptions.TimeoutSource() {
          @Override
          public long getTimeout(RedisCommand<?, ?, ?> c) {
            if (c.getType() == CommandType.XREAD) {
              return BLOCK_MILLIS + command;
            }
            return command + wait; // behind a WAIT, a command waits for it too
          }
        };
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        // Never send a command again after a reconnection (Lettuce's default is at least once):
        // an append sent twice would be two entries, an update delivered twice. It fails instead,
        // and its publisher gets 503 and retries.
        .replayFilter(sent -> true)
        .socketOptions(
            SocketOptions.builder()
                .connectTimeout(settings.connectTimeout())
                .keepAlive(true)
                .build())
        .timeoutOptions(TimeoutOptions.builder().timeoutSource(timeouts).build())
        .build();
  }

  /** The settings the store was opened with. */
  public RedisSettings settings() {
    return settings;
  }

  /**
   * The bus every node reads the stream with: give it to the hub with this store ({@code
   * Hub.Builder.store(store, store.bus())}). Its listener is called on a thread of its own, never
   * an event loop. Closing the store closes it.
   */
  public UpdateBus bus() {
    return bus;
  }

  /**
   * Refuses: the stream is the bus; every node reads it with {@link #bus()}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void publishTo(UpdateBus bus) {
    throw new UnsupportedOperationException(
        "a Redis stream is its own bus: give the hub store.bus() with the store");
  }

  @Override
  public CompletableFuture<StoredUpdate> append(Update update) {
    if (update.id() == null) {
      throw new IllegalArgumentException("an update to append needs an id");
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new UpdateStoreException("the Redis store is closed", null));
    }
    List<String> fields = StreamEntries.fields(update);
    String[] args = new String[4 + fields.size()];
    args[0] = epoch;
    args[1] = Long.toString(settings.maxLength());
    args[2] = settings.maxAge() == null ? "0" : Long.toString(settings.maxAge().toMillis());
    args[3] = update.id();
    for (int i = 0; i < fields.size(); i++) {
      args[4 + i] = fields.get(i);
    }
    long start = System.nanoTime();
    LoopConnections.Channel channel;
    CompletionStage<String> added;
    try {
      channel = appends.current();
      added = Scripts.APPEND.run(channel.redis(), ScriptOutputType.VALUE, keys, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure("could not send the update to Redis", e));
    }
    CompletableFuture<StoredUpdate> stored =
        added
            .toCompletableFuture()
            .handle(
                (id, failure) -> {
                  metrics.commandTook(System.nanoTime() - start);
                  if (failure != null) {
                    throw failure(
                        "Redis at " + settings.redactedUri() + " did not store the update",
                        failure);
                  }
                  Cursor cursor = StreamEntries.cursor(id);
                  lastAppended.accumulateAndGet(cursor, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                  return new StoredUpdate(cursor, Instant.ofEpochMilli(cursor.major()), update);
                });
    ReplicaWait replicaWait = channel.replicaWait();
    if (replicaWait == null) {
      return stored;
    }
    // WAIT after the reply, on the connection the script went out on: it then covers the update
    // whichever way the script was sent.
    return stored.thenCompose(
        s -> replicaWait.after().handle((count, failure) -> replicated(s, count, failure)));
  }

  private StoredUpdate replicated(StoredUpdate stored, Long count, Throwable failure) {
    if (failure != null) {
      throw failure("WAIT for replicas failed", failure);
    }
    if (count < settings.waitReplicas()) {
      throw new UpdateStoreException(
          count
              + " of "
              + settings.waitReplicas()
              + " replicas acknowledged within "
              + settings.waitTimeout()
              + ": the update is on the primary and may still be delivered, but a"
              + " failover could lose it",
          null);
    }
    return stored;
  }

  private static UpdateStoreException failure(String message, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof UpdateStoreException) {
      return (UpdateStoreException) cause;
    }
    return new UpdateStoreException(message + ": " + cause.getMessage(), cause);
  }

  @Override
  public Optional<Cursor> cursorOf(String id) {
    List<Object> found = call(Scripts.LOOKUP, new String[] {keys[0], keys[2]}, id);
    String streamId = (String) found.get(0);
    if (streamId.isEmpty()) {
      return Optional.empty();
    }
    Cursor cursor = StreamEntries.cursor(streamId);
    Cursor evicted = StreamEntries.cursor((String) found.get(1));
    return cursor.isAfter(evicted) ? Optional.of(cursor) : Optional.empty();
  }

  @Override
  public Optional<List<StoredUpdate>> read(Cursor after, Cursor upTo, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    List<Object> page =
        call(
            Scripts.READ,
            new String[] {keys[0]},
            StreamEntries.id(after),
            StreamEntries.id(upTo),
            Integer.toString(Math.max(limit, 1)));
    if (StreamEntries.cursor((String) page.get(0)).isAfter(after)) {
      return Optional.empty(); // evicted past the reader's cursor: a gap
    }
    List<StoredUpdate> updates = decodeAll(page.get(1));
    return Optional.of(limit == 0 ? List.of() : updates);
  }

  @Override
  public Optional<StoredUpdate> newest() {
    List<Object> page = call(Scripts.NEWEST, new String[] {keys[0]});
    List<StoredUpdate> updates = decodeAll(page.get(1));
    return updates.isEmpty() ? Optional.empty() : Optional.of(updates.get(0));
  }

  @Override
  public Cursor last() {
    return StreamEntries.cursor(positions().get(0));
  }

  @Override
  public Cursor lastEvicted() {
    return StreamEntries.cursor(positions().get(1));
  }

  /** {last-generated-id, last evicted, epoch or ""}. */
  List<String> positions() {
    List<Object> p = call(Scripts.POSITIONS, new String[] {keys[0], keys[1]});
    return List.of((String) p.get(0), (String) p.get(1), (String) p.get(2));
  }

  /**
   * Joins the history, beginning a new one (after {@code floor}) if Redis has none; returns its
   * epoch.
   */
  String begin(Cursor floor) {
    Cursor appended = lastAppended.get();
    Cursor after = appended.compareTo(floor) > 0 ? appended : floor;
    return this.<String>await(
        Scripts.BEGIN.run(
            redis,
            ScriptOutputType.VALUE,
            keys,
            UUID.randomUUID().toString(),
            StreamEntries.id(after)));
  }

  /** The epoch appends carry. */
  String epoch() {
    return epoch;
  }

  void epoch(String epoch) {
    this.epoch = epoch;
  }

  RedisMetrics metrics() {
    return metrics;
  }

  /** Event loops with a connection of their own for appends, open now. */
  int loopConnectionsOpen() {
    return appends.open();
  }

  /** Event loops whose own connection could not be made: they append on the shared one. */
  int loopConnectionsRefused() {
    return appends.refused();
  }

  private List<StoredUpdate> decodeAll(Object entries) {
    List<StoredUpdate> updates = new ArrayList<>();
    for (Object e : (List<?>) entries) {
      List<?> entry = (List<?>) e;
      String id = (String) entry.get(0);
      List<?> flat = (List<?>) entry.get(1);
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        fields.put((String) flat.get(i), (String) flat.get(i + 1));
      }
      StoredUpdate u = StreamEntries.decode(id, fields);
      if (u != null) {
        updates.add(u);
      }
    }
    return updates;
  }

  private List<Object> call(Scripts script, String[] scriptKeys, String... args) {
    long start = System.nanoTime();
    List<Object> result =
        this.<List<Object>>await(script.run(redis, ScriptOutputType.MULTI, scriptKeys, args));
    metrics.commandTook(System.nanoTime() - start);
    return result;
  }

  /** Waits for a command (never on an event loop: the hub reads history on replay threads). */
  private <T> T await(CompletionStage<T> command) {
    long timeout = settings.commandTimeout().toMillis() * 2 + settings.waitTimeout().toMillis();
    try {
      return command.toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpdateStoreException("interrupted while reading Redis", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new UpdateStoreException(
          "Redis at " + settings.redactedUri() + " did not answer: " + cause.getMessage(), cause);
    }
  }

  @Override
  public boolean isHealthy() {
    return !closed && connection.isOpen();
  }

  /** Adds the store's meters to the hub's registry (see {@link RedisMetrics}). */
  @Override
  @SuppressWarnings("exports")
  public void bindTo(MeterRegistry registry) {
    metrics.bindTo(registry, this::isHealthy);
  }

  /** Where and how long: {@code RedisUpdateStore[URI, stream KEY; retention]}, the URI redacted. */
  @Override
  public String toString() {
    return "RedisUpdateStore["
        + settings.redactedUri()
        + ", stream "
        + settings.streamKey()
        + "; at most "
        + (settings.maxLength() == 0 ? "any number of" : "about " + settings.maxLength())
        + " updates, "
        + (settings.maxAge() == null ? "any age" : "at most " + settings.maxAge() + " old")
        + (settings.waitReplicas() == 0
            ? ""
            : "; acknowledged once " + settings.waitReplicas() + " replicas have it")
        + "]";
  }

  /** Stops the bus, closes the connections and removes the meters; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    bus.close();
    metrics.close();
    if (appends != null) {
      appends.close();
    }
    if (connection != null) {
      connection.close();
    }
    shutdownClient();
  }

  private void shutdownClient() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
