package dev.herald.redis;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The store's meters, kept in fields until {@link #bindTo} adds them to the hub's registry: {@code
 * herald.redis.command.latency} (a timer of command round trips), {@code herald.redis.stream.lag}
 * (milliseconds of stream this node has not read yet, measured about once a second), {@code
 * herald.redis.reconnects}, {@code herald.redis.history.lost}, {@code herald.redis.connected}.
 * Thread-safe.
 */
final class RedisMetrics {
  private final AtomicLong lagMillis = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong historyLost = new AtomicLong();
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private volatile MeterRegistry registry;
  private volatile Timer latency;

  void bindTo(MeterRegistry registry, BooleanSupplier connected) {
    this.registry = registry;
    latency =
        add(
            Timer.builder("herald.redis.command.latency")
                .description("Redis command round trips (appends and history reads)")
                .register(registry));
    add(
        Gauge.builder("herald.redis.stream.lag", lagMillis, AtomicLong::get)
            .baseUnit("milliseconds")
            .description("how far this node's reading is behind the stream's newest entry")
            .register(registry));
    add(
        FunctionCounter.builder("herald.redis.reconnects", reconnects, AtomicLong::get)
            .description("times this node's stream reader got Redis back after losing it")
            .register(registry));
    add(
        FunctionCounter.builder("herald.redis.history.lost", historyLost, AtomicLong::get)
            .description("times the shared history was found lost (a new epoch)")
            .register(registry));
    add(
        Gauge.builder("herald.redis.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
            .strongReference(true)
            .description("1 while the node's command connection to Redis is up")
            .register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void commandTook(long nanos) {
    Timer t = latency;
    if (t != null) {
      t.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void lag(long millis) {
    lagMillis.set(Math.max(0, millis));
  }

  void reconnected() {
    reconnects.incrementAndGet();
  }

  long reconnects() {
    return reconnects.get();
  }

  void historyLost() {
    historyLost.incrementAndGet();
  }

  void close() {
    MeterRegistry r = registry;
    if (r != null) {
      for (Meter meter : meters) {
        r.remove(meter);
      }
    }
    meters.clear();
    latency = null;
  }
}
