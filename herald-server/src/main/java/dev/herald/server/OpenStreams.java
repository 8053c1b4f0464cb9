package dev.herald.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat timer of one server: per event loop, one task that sweeps the loop's open streams
 * every {@link #period} and lets each idle one send its heartbeat. One scheduled task per loop
 * rather than one per stream: a stream costs an array slot and an index, not a timer entry.
 */
final class Heartbeats {
  private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long intervalNanos;
  private final long period;
  private final Map<EventExecutor, Sweep> sweeps = new ConcurrentHashMap<>();

  /** Heartbeats after {@code intervalNanos} of idleness; none if it is 0. */
  Heartbeats(long intervalNanos) {
    this.intervalNanos = intervalNanos;
    this.period = Math.max(1, Math.min(intervalNanos / 4, MAX_PERIOD_NANOS));
  }

  long intervalNanos() {
    return intervalNanos;
  }

  /** On the stream's event loop: sweeps {@code stream} from now on, until {@link #remove}. */
  void add(NettySseStream stream) {
    if (intervalNanos > 0) {
      sweeps.computeIfAbsent(stream.executor(), Sweep::new).add(stream);
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
    private int size;
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
      if (!scheduled) {
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
