package dev.herald.redis;

import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.server.Cursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus of a Redis store: a thread of its own reads the stream with {@code XREAD BLOCK} on a
 * connection of its own, from the cursor its listener has seen, and hands each batch to the
 * listener, in stream order. About once a second, and after every failure, it looks at the history:
 * an epoch that changed or a stream that went back behind what it delivered means the history was
 * lost, which it tells the listener before anything of the new history. When Redis is unreachable
 * it tries again with a growing pause (50 ms to 1 s) and continues after the last entry it
 * delivered: nothing twice, nothing skipped.
 *
 * <p>Publishing on this bus is appending to the store ({@code XADD}): {@link #publish} refuses.
 */
final class StreamBus implements UpdateBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisUpdateStore.class);
  private static final int BATCH = 256;
  private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
  private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long MIN_PAUSE_MILLIS = 50;
  private static final long MAX_PAUSE_MILLIS = 1000;

  private final RedisUpdateStore store;
  private final RedisClient client;
  private final String key;
  private Listener listener;
  private Thread reader;
  private StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;
  private volatile Cursor delivered = Cursor.START;

  StreamBus(RedisUpdateStore store, RedisClient client, String key) {
    this.store = store;
    this.client = client;
    this.key = key;
  }

  /**
   * Refuses: the stream is the bus.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void publish(List<StoredUpdate> updates) {
    throw new UnsupportedOperationException(
        "a Redis bus publishes by XADD: append to the RedisUpdateStore");
  }

  /**
   * Starts the reader thread, which delivers every entry after {@code after} to {@code listener}.
   *
   * @throws IllegalStateException if a listener is already set, or the bus is closed
   */
  @Override
  public synchronized void listen(Cursor after, Listener listener) {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(listener, "listener");
    if (this.listener != null) {
      throw new IllegalStateException("the listener is already set");
    }
    if (closed) {
      throw new IllegalStateException("the bus is closed");
    }
    this.listener = listener;
    this.delivered = after;
    this.connection = client.connect(StringCodec.UTF8);
    this.reader = new Thread(this::run, "herald-redis-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The last cursor delivered to the listener. */
  Cursor delivered() {
    return delivered;
  }

  private void run() {
    RedisCommands<String, String> redis = connection.sync();
    long nextCheck = System.nanoTime() + CHECK_NANOS;
    long pause = 0; // > 0: failing
    boolean behind = false; // the last read was a full batch: the node is behind the stream
    long lastRead = System.nanoTime();
    while (!closed) {
      try {
        // Before reading on, a node that was behind, failing or stalled (a slow listener, a
        // collection, SIGSTOP) checks that retention has not passed it: only such a node can be.
        boolean stalled = System.nanoTime() - lastRead > STALL_NANOS;
        if (pause > 0 || behind || stalled || System.nanoTime() - nextCheck >= 0) {
          checkHistory();
          nextCheck = System.nanoTime() + CHECK_NANOS;
        }
        List<StreamMessage<String, String>> messages = read(redis);
        lastRead = System.nanoTime();
        behind = messages != null && messages.size() == BATCH;
        if (pause > 0) {
          pause = 0;
          store.metrics().reconnected();
          LOG.info("reading the Redis stream again after {}", delivered);
        }
        deliver(messages);
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        if (pause == 0) {
          LOG.warn("lost the Redis stream: {}; retrying", e.getMessage());
        }
        pause = pause == 0 ? MIN_PAUSE_MILLIS : Math.min(pause * 2, MAX_PAUSE_MILLIS);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
      }
    }
  }

  @SuppressWarnings("unchecked") // one stream offset in a generic varargs array
  private List<StreamMessage<String, String>> read(RedisCommands<String, String> redis) {
    return redis.xread(
        XReadArgs.Builder.block(RedisUpdateStore.BLOCK_MILLIS).count(BATCH),
        XReadArgs.StreamOffset.from(key, StreamEntries.id(delivered)));
  }

  /**
   * Looks at the epoch, the stream's last ID and its last evicted one: begins or joins a new
   * history if the epoch is gone or changed, or the stream is behind what was delivered, and then
   * tells the listener; tells it too if retention removed entries this node had not delivered yet
   * (a node that fell further behind than the stream's length: paused, partitioned from Redis),
   * which reading on would skip without a word. Run before reading after a failure, after a full
   * batch or a stall of more than 200 ms between reads (only a node that is behind can be trimmed
   * past), and about once a second.
   */
  private void checkHistory() {
    List<String> positions = store.positions();
    Cursor streamLast = StreamEntries.cursor(positions.get(0));
    Cursor evicted = StreamEntries.cursor(positions.get(1));
    String epoch = positions.get(2);
    boolean behind = delivered.isAfter(streamLast);
    store.metrics().lag(behind ? 0 : streamLast.major() - delivered.major());
    if (epoch.equals(store.epoch()) && !behind) {
      if (evicted.isAfter(delivered)) {
        LOG.warn(
            "the Redis stream was trimmed to {} while this node had delivered up to {} only: its"
                + " subscribers are told of the gap",
            StreamEntries.id(evicted),
            StreamEntries.id(delivered));
        store.metrics().historyLost();
        delivered = evicted; // what was trimmed is gone; reading goes on after it
        listener.onHistoryLost();
      }
      return;
    }
    String current = store.begin(delivered);
    LOG.warn(
        "the Redis history was lost (epoch {}, stream at {} while {} was delivered): the new"
            + " history continues after it",
        epoch.isEmpty() ? "gone" : "changed",
        StreamEntries.id(streamLast),
        StreamEntries.id(delivered));
    store.epoch(current);
    store.metrics().historyLost();
    listener.onHistoryLost();
  }

  private void deliver(List<StreamMessage<String, String>> messages) {
    if (messages == null || messages.isEmpty()) {
      return;
    }
    List<StoredUpdate> batch = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> m : messages) {
      try {
        StoredUpdate u = StreamEntries.decode(m.getId(), m.getBody());
        if (u != null) {
          batch.add(u);
        }
      } catch (RuntimeException malformed) {
        LOG.error(
            "skipping stream entry {}: not an update ({})", m.getId(), malformed.getMessage());
      }
    }
    Cursor last = StreamEntries.cursor(messages.get(messages.size() - 1).getId());
    if (!batch.isEmpty()) {
      try {
        listener.onUpdates(batch);
      } catch (RuntimeException e) {
        LOG.error("the listener failed on updates up to {}", last, e);
      }
    }
    delivered = last;
  }

  /** Stops the reader and closes its connection; idempotent. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = reader;
    }
    if (connection != null) {
      connection.close(); // ends a blocked XREAD
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
