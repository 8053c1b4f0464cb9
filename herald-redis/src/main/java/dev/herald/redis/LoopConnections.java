package dev.herald.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection an append goes out on: on a Netty event loop (a publish request's), one of its own
 * registered with that very loop, so the command is written where the request was read and its
 * reply completes the publish there — no hand-off to Lettuce's threads and back, no wake-ups;
 * anywhere else, or while the loop's connection is being made, the store's shared connection.
 *
 * <p>A loop's connection is made off the loop (on Lettuce's computation threads) the first time the
 * loop appends, and never reconnects by itself: once it is closed (Redis restarted, the loop shut
 * down with its server) appends go out on the shared connection, which reconnects, and a new one is
 * made no sooner than {@value #RETRY_MILLIS} ms later. A loop whose connection could not be made
 * while the shared one was open (its transport is not Lettuce's: a NIO loop where Lettuce runs
 * epoll) keeps the shared connection.
 *
 * <p>Each connection has its own {@link ReplicaWait}: a {@code WAIT} covers the writes of the
 * connection it is sent on. Thread-safe.
 */
final class LoopConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisUpdateStore.class);
  static final long RETRY_MILLIS = 1000;

  /** Commands and the {@code WAIT} batching of one connection. */
  record Channel(
      RedisAsyncCommands<String, String> redis, ReplicaWait replicaWait) {} // wait: null if off

  private final Channel shared;
  private final ClientResources base;
  private final RedisURI uri;
  private final ClientOptions options;
  private final Function<RedisAsyncCommands<String, String>, ReplicaWait> waits;
  private final BooleanSupplier sharedOpen;
  private final Map<EventLoop, Slot> loops = new ConcurrentHashMap<>();
  private volatile boolean closed;

  LoopConnections(
      Channel shared,
      ClientResources base,
      RedisURI uri,
      ClientOptions options,
      Function<RedisAsyncCommands<String, String>, ReplicaWait> waits,
      BooleanSupplier sharedOpen) {
    this.shared = shared;
    this.base = base;
    this.uri = uri;
    this.options = options;
    this.waits = waits;
    this.sharedOpen = sharedOpen;
  }

  /** The connection for an append made on the calling thread. */
  Channel current() {
    EventExecutor executor = ThreadExecutorMap.currentExecutor();
    if (!(executor instanceof EventLoop loop) || closed) {
      return shared;
    }
    Slot slot = loops.computeIfAbsent(loop, Slot::new);
    Channel own = slot.channel();
    return own != null ? own : shared;
  }

  /** How many loops have a connection of their own open now. */
  int open() {
    return (int) loops.values().stream().filter(s -> s.channel() != null).count();
  }

  /** How many loops keep the shared connection for good: theirs could not be made. */
  int refused() {
    return (int) loops.values().stream().filter(Slot::unusable).count();
  }

  /** Closes every loop's connection (not the shared one); idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Slot s : loops.values()) {
      s.close();
    }
  }

  /** One loop's connection: none yet, being made, open, or closed (then made again later). */
  private final class Slot {
    private final EventLoop loop;
    private RedisClient client; // guarded by this
    private StatefulRedisConnection<String, String> connection; // guarded by this
    private volatile Channel channel;
    private boolean connecting; // guarded by this
    private boolean unusable; // guarded by this: the loop's transport is not Lettuce's
    private long nextAttempt; // guarded by this: System.nanoTime()

    Slot(EventLoop loop) {
      this.loop = loop;
    }

    /** The open connection's commands, or null (and a connection is made if it is time). */
    Channel channel() {
      Channel c = channel;
      if (c != null && connection.isOpen()) {
        return c;
      }
      synchronized (this) {
        if (channel != null && !connection.isOpen()) {
          channel = null;
          discard();
          nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
        }
        if (channel == null
            && !connecting
            && !unusable
            && !closed
            && System.nanoTime() - nextAttempt >= 0) {
          connecting = true;
          base.eventExecutorGroup().execute(this::connect);
        }
        return channel;
      }
    }

    /** Off the loop: a client whose only event loop is this one, and its connection. */
    private void connect() {
      ClientResources resources =
          ClientResources.builder()
              .eventLoopGroupProvider(new OneLoop(loop))
              .eventExecutorGroup(base.eventExecutorGroup())
              .timer(base.timer())
              .commandLatencyRecorder(base.commandLatencyRecorder())
              .build();
      RedisClient made = RedisClient.create(resources, uri);
      made.setOptions(options.mutate().autoReconnect(false).build());
      made.connectAsync(StringCodec.UTF8, uri)
          .whenComplete(
              (opened, failure) -> {
                synchronized (this) {
                  connecting = false;
                  if (failure != null || closed) {
                    if (failure != null) {
                      unusable = sharedOpen.getAsBoolean(); // Redis answers others: not an outage
                      nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
                      LOG.debug(
                          "no Redis connection on event loop {}: {}; appends from it use the"
                              + " shared one",
                          loop,
                          failure.toString());
                    }
                    if (opened != null) {
                      opened.closeAsync();
                    }
                    shutdown(made, resources);
                    return;
                  }
                  client = made;
                  connection = opened;
                  RedisAsyncCommands<String, String> redis = opened.async();
                  channel = new Channel(redis, waits.apply(redis));
                }
              });
    }

    synchronized boolean unusable() {
      return unusable;
    }

    synchronized void close() {
      channel = null;
      discard();
    }

    private void discard() { // guarded by this
      if (connection != null) {
        connection.closeAsync();
        connection = null;
      }
      if (client != null) {
        shutdown(client, null);
        client = null;
      }
    }

    private void shutdown(RedisClient c, ClientResources resources) {
      c.shutdownAsync(0, 2, TimeUnit.SECONDS)
          .whenComplete(
              (done, failure) -> {
                ClientResources r = resources != null ? resources : c.getResources();
                r.shutdown(0, 2, TimeUnit.SECONDS);
              });
    }
  }

  /**
   * Lettuce's event loops for one client: the one loop, which belongs to the hub's server and is
   * never shut down from here.
   */
  private record OneLoop(EventLoop loop) implements EventLoopGroupProvider {
    @Override
    @SuppressWarnings("unchecked") // Lettuce asks for its transport's group class; a loop is one
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
      return (T) loop;
    }

    @Override
    public int threadPoolSize() {
      return 1;
    }

    @Override
    public Future<Boolean> release(
        EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
      return loop.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
      return loop.newSucceededFuture(true);
    }
  }
}
