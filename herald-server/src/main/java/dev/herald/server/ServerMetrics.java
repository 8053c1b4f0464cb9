package dev.herald.server;

import java.util.concurrent.atomic.LongAdder;

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
}
