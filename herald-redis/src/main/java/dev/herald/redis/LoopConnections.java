package dev.herald.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * tried every {@value #RETRY_MILLIS} ms. A loop that Lettuce's transport cannot register with (a
 * NIO loop where Lettuce runs epoll) keeps the shared connection, said once at INFO.
 *
 * <p>Each connection has its own {@link ReplicaWait}: a {@code WAIT} covers the writes of the
 * connection it is sent on. Thread-safe.
 */
final class LoopConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisUpdateStore.class);
  static final long RETRY_MILLIS = 1000;

  /** A connection and the {@code WAIT} batching of its writes (null when appends do not wait). */
  record Channel(StatefulRedisConnection<String, String> connection, ReplicaWait replicaWait) {
    RedisAsyncCommands<String, String> redis() {
      return connection.async();
    }
  }

  private final Channel shared;
  private final ClientResources base;
  private final RedisURI uri;
  private final ClientOptions options;
  private final Function<RedisAsyncCommands<String, String>, ReplicaWait> waits;
  private final Map<EventLoop, Slot> loops = new ConcurrentHashMap<>();
  private volatile boolean closed;

  LoopConnections(
      Channel shared,
      ClientResources base,
      RedisURI uri,
      ClientOptions options,
      Function<RedisAsyncCommands<String, String>, ReplicaWait> waits) {
    this.shared = shared;
    this.base = base;
    this.uri = uri;
    this.options = options;
    this.waits = waits;
  }

  /** The connection for an append made on the calling thread. */
  Channel current() {
    EventExecutor executor = ThreadExecutorMap.currentExecutor();
    if (!(executor instanceof EventLoop loop) || closed) {
      return shared;
    }
    Channel own = loops.computeIfAbsent(loop, Slot::new).channel();
    return own != null ? own : shared;
  }

  /** How many loops have a connection of their own open now. */
  int open() {
    return (int) loops.values().stream().filter(Slot::isOpen).count();
  }

  /** How many loops keep the shared connection for good: Lettuce cannot register with them. */
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

  /**
   * Whether {@code failure} is Netty refusing to register a channel with a loop of another kind.
   */
  private static boolean incompatible(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalStateException) {
        return true;
      }
    }
    return false;
  }

  /** One loop's connection: none yet, being made, open, or closed (then made again later). */
  private final class Slot {
    private final EventLoop loop;
    private volatile Channel channel; // null: none open
    private RedisClient client; // guarded by this
    private ClientResources resources; // guarded by this
    private boolean connecting; // guarded by this
    private boolean unusable; // guarded by this: Lettuce's transport cannot use the loop
    private long nextAttempt; // guarded by this: System.nanoTime()

    Slot(EventLoop loop) {
      this.loop = loop;
    }

    boolean isOpen() {
      Channel c = channel;
      return c != null && c.connection().isOpen();
    }

    /** The open connection, or null (and a connection is made if it is time). */
    Channel channel() {
      Channel c = channel;
      if (c != null && c.connection().isOpen()) {
        return c;
      }
      synchronized (this) {
        if (channel != null && !channel.connection().isOpen()) {
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
      ClientResources made =
          ClientResources.builder()
              .eventLoopGroupProvider(new OneLoop(loop))
              .eventExecutorGroup(base.eventExecutorGroup())
              .timer(base.timer())
              .commandLatencyRecorder(CommandLatencyRecorder.disabled())
              .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
              .build();
      RedisClient madeClient = RedisClient.create(made, uri);
      madeClient.setOptions(options.mutate().autoReconnect(false).build());
      madeClient
          .connectAsync(StringCodec.UTF8, uri)
          .whenComplete(
              (opened, failure) -> {
                synchronized (this) {
                  connecting = false;
                  if (failure == null && !closed) {
                    client = madeClient;
                    resources = made;
                    channel = new Channel(opened, waits.apply(opened.async()));
                    return;
                  }
                  if (failure != null) {
                    nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
                    unusable = incompatible(failure);
                    if (unusable) {
                      LOG.info(
                          "appends from event loop {} go out on the shared Redis connection: {}",
                          loop,
                          failure.toString());
                    } else {
                      LOG.debug("no Redis connection on event loop {} yet: {}", loop, failure);
                    }
                  }
                  if (opened != null) {
                    opened.closeAsync();
                  }
                  shutdown(madeClient, made);
                }
              });
    }

    synchronized boolean unusable() {
      return unusable;
    }

    synchronized void close() {
      discard();
    }

    private void discard() { // guarded by this
      if (channel != null) {
        channel.connection().closeAsync();
        channel = null;
      }
      if (client != null) {
        shutdown(client, resources);
        client = null;
        resources = null;
      }
    }

    /** Neither waits on the loop, which may have stopped with its server already. */
    private void shutdown(RedisClient c, ClientResources r) {
      c.shutdownAsync(0, 2, TimeUnit.SECONDS);
      r.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Lettuce's event loops for one client: the one loop, which belongs to the hub's server and is
   * never shut down from here (its futures complete at once, even once the loop has stopped).
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
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
  }
}
