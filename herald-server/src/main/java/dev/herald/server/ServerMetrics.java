package dev.herald.server;

import java.util.Arrays;
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
  private volatile LongConsumer[] dispatchLatency = new LongConsumer[0];

  /** Sends dispatch latencies to {@code recorder} too (a binder's timer), until removed. */
  synchronized void addDispatchRecorder(LongConsumer recorder) {
    LongConsumer[] now = Arrays.copyOf(dispatchLatency, dispatchLatency.length + 1);
    now[now.length - 1] = recorder;
    dispatchLatency = now;
  }

  /** Stops sending dispatch latencies to {@code recorder}. */
  synchronized void removeDispatchRecorder(LongConsumer recorder) {
    dispatchLatency =
        Arrays.stream(dispatchLatency).filter(r -> r != recorder).toArray(LongConsumer[]::new);
  }

  /** The publishes that arrived at {@code arrivals[0..count)} were flushed at {@code now}. */
  void dispatched(long[] arrivals, int count, long now) {
    for (LongConsumer latency : dispatchLatency) {
      for (int i = 0; i < count; i++) {
        latency.accept(now - arrivals[i]);
      }
    }
  }
}
