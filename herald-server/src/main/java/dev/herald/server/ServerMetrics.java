package dev.herald.server;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** The server's counters; cheap to update from any thread. */
final class ServerMetrics {
  final LongAdder eventsQueued = new LongAdder();
  final LongAdder bytesQueued = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();
  final LongAdder refusedConnections = new LongAdder();

  /** {@code events} events of {@code bytes} bytes in all, written at once. */
  void eventsQueued(long events, long bytes) {
    eventsQueued.add(events);
    bytesQueued.add(bytes);
  }

  void slowConsumer() {
    slowConsumers.increment();
  }

  void refused() {
    refusedConnections.increment();
  }

  /**
   * Where dispatch latencies go: nowhere until {@link HeraldServerMetrics} binds a timer. A latency
   * is, per publish and event loop that wrote it, the time from {@link Broadcaster#publish} to the
   * end of the loop's flush of the streams it wrote it to.
   */
  volatile LongConsumer dispatchLatency;

  /** The publishes that arrived at {@code arrivals[0..count)} were flushed at {@code now}. */
  void dispatched(long[] arrivals, int count, long now) {
    LongConsumer latency = dispatchLatency;
    if (latency != null) {
      for (int i = 0; i < count; i++) {
        latency.accept(now - arrivals[i]);
      }
    }
  }
}
