package dev.herald.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The open streams of one server, kept per event loop in an array that only the loop touches (a
 * stream costs an array slot and its index there, not a map entry); and the heartbeat timer: per
 * loop, one task that sweeps the loop's streams every {@link #period} and lets each idle one send
 * its heartbeat, rather than a timer entry per stream.
 */
final class OpenStreams {
  private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long intervalNanos;
  private final long period;
  private final Map<EventExecutor, Sweep> sweeps = new ConcurrentHashMap<>();

  /** Heartbeats after {@code intervalNanos} of idleness; none if it is 0. */
  OpenStreams(long intervalNanos) {
    this.intervalNanos = intervalNanos;
    this.period = Math.max(1, Math.min(intervalNanos / 4, MAX_PERIOD_NANOS));
  }

  /** On the stream's event loop: counts {@code stream} as open, until {@link #remove}. */
  void add(NettySseStream stream) {
    sweeps.computeIfAbsent(stream.executor(), Sweep::new).add(stream);
  }

  /** The number of open streams; from any thread. */
  int size() {
    int n = 0;
    for (Sweep sweep : sweeps.values()) {
      n += sweep.size;
    }
    return n;
  }

  /** Runs {@code action} for each stream open now, on the stream's event loop; from any thread. */
  void forEach(Consumer<NettySseStream> action) {
    for (Sweep sweep : sweeps.values()) {
      try {
        sweep.loop.execute(
            () -> {
              for (int i = sweep.size - 1; i >= 0; i--) {
                action.accept(sweep.streams[i]);
              }
            });
      } catch (RejectedExecutionException stopped) {
        // that loop has stopped: its streams are gone
      }
    }
  }

  /** On the stream's event loop. */
  void remove(NettySseStream stream) {
    if (stream.heartbeatSlot >= 0) {
      sweeps.get(stream.executor()).remove(stream);
    }
  }

  /** The streams of one event loop; confined to it. */
  private final class Sweep implements Runnable {
    private final EventExecutor loop;
    private NettySseStream[] streams = new NettySseStream[16];
    private volatile int size; // read from any thread by OpenStreams.size
    private boolean scheduled;

    Sweep(EventExecutor loop) {
      this.loop = loop;
    }

    void add(NettySseStream stream) {
      if (size == streams.length) {
        streams = Arrays.copyOf(streams, size * 2);
      }
      stream.heartbeatSlot = size;
      streams[size++] = stream;
      if (!scheduled && intervalNanos > 0) {
        scheduled = true;
        loop.schedule(this, period, TimeUnit.NANOSECONDS);
      }
    }

    void remove(NettySseStream stream) {
      int slot = stream.heartbeatSlot;
      stream.heartbeatSlot = -1;
      NettySseStream last = streams[--size];
      streams[size] = null;
      if (last != stream) {
        streams[slot] = last;
        last.heartbeatSlot = slot;
      }
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      // Backwards: a stream that ends meanwhile is replaced by one already visited.
      for (int i = size - 1; i >= 0; i--) {
        if (i < size) {
          streams[i].heartbeat(now, intervalNanos);
        }
      }
      if (size == 0) {
        scheduled = false;
        if (streams.length > 16) {
          streams = new NettySseStream[16];
        }
      } else {
        loop.schedule(this, period, TimeUnit.NANOSECONDS);
      }
    }
  }
}
