package dev.herald.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Publishes a {@link HeraldServer}'s figures to Micrometer (an optional dependency: add {@code
 * io.micrometer:micrometer-core} to use this class).
 *
 * <pre>{@code
 * new HeraldServerMetrics(server).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code herald.streams.open}</td><td>gauge</td><td>open SSE streams</td></tr>
 *   <tr><td>{@code herald.connections.open}</td><td>gauge</td><td>open connections</td></tr>
 *   <tr><td>{@code herald.events.sent}</td><td>counter</td><td>events handed to connections</td></tr>
 *   <tr><td>{@code herald.bytes.sent}</td><td>counter</td><td>their bytes</td></tr>
 *   <tr><td>{@code herald.streams.slow}</td><td>counter</td><td>streams over their budget</td></tr>
 *   <tr><td>{@code herald.connections.refused}</td><td>counter</td><td>503s at the limit</td></tr>
 *   <tr><td>{@code herald.dispatch.latency}</td><td>timer (histogram, p50/p99/p99.9)</td><td>per
 *       publish and event loop that wrote it: from {@link Broadcaster#publish} to the end of the
 *       loop's flush of the streams it was written to — Herald's own part of a publish's latency,
 *       apart from the network and the client</td></tr>
 * </table>
 *
 * <p>Thread-safe; the meters read the server's counters when they are scraped. {@link #close()}
 * removes the meters it registered, for a registry that outlives the server.
 *
 * @since 0.1
 */
@SuppressWarnings("exports") // Micrometer is optional: see module-info
public final class HeraldServerMetrics implements MeterBinder, AutoCloseable {
  private final HeraldServer server;
  private final List<Tag> tags;
  private final List<Registered> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<LongConsumer> recorders = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Registered(MeterRegistry registry, Meter meter) {}

  /** Metrics of {@code server}, with no tags. */
  public HeraldServerMetrics(HeraldServer server) {
    this(server, List.of());
  }

  /** Metrics of {@code server}, with {@code tags} on every meter. */
  public HeraldServerMetrics(HeraldServer server, Iterable<Tag> tags) {
    this.server = Objects.requireNonNull(server, "server");
    this.tags = List.copyOf(toList(tags));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    remember(
        registry,
        Gauge.builder("herald.streams.open", server, HeraldServer::openStreams)
            .description("open SSE streams")
            .tags(tags)
            .register(registry));
    remember(
        registry,
        Gauge.builder("herald.connections.open", server, HeraldServer::openConnections)
            .description("open connections")
            .tags(tags)
            .register(registry));
    counter(
        registry, "herald.events.sent", "events handed to connections", m -> m.eventsQueued.sum());
    counter(
        registry,
        "herald.bytes.sent",
        "bytes of the events handed to connections",
        m -> m.bytesQueued.sum());
    counter(
        registry,
        "herald.streams.slow",
        "streams that went over their outbound budget",
        m -> m.slowConsumers.sum());
    counter(
        registry,
        "herald.connections.refused",
        "connections refused at the limit",
        m -> m.refusedConnections.sum());
    Timer dispatch =
        Timer.builder("herald.dispatch.latency")
            .description("from a publish to the flush of the streams an event loop wrote it to")
            .publishPercentiles(0.5, 0.99, 0.999)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .tags(tags)
            .register(registry);
    remember(registry, dispatch);
    LongConsumer record = nanos -> dispatch.record(nanos, TimeUnit.NANOSECONDS);
    server.metrics().addDispatchRecorder(record); // bound to several registries: into each
    recorders.add(record);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      java.util.function.ToDoubleFunction<ServerMetrics> value) {
    remember(
        registry,
        FunctionCounter.builder(name, server.metrics(), value)
            .description(description)
            .tags(tags)
            .register(registry));
  }

  private void remember(MeterRegistry registry, Meter meter) {
    registered.add(new Registered(registry, meter));
  }

  /**
   * Removes the meters this binder registered from the registries it bound them to: for a registry
   * that outlives the server, so that a later server's meters of the same names are its own.
   * Idempotent.
   */
  @Override
  public void close() {
    for (LongConsumer record : recorders) { // this binder's only: others' go on
      server.metrics().removeDispatchRecorder(record);
    }
    recorders.clear();
    for (Registered r : registered) {
      r.registry().remove(r.meter());
    }
    registered.clear();
  }

  private static List<Tag> toList(Iterable<Tag> tags) {
    List<Tag> list = new java.util.ArrayList<>();
    tags.forEach(list::add);
    return list;
  }
}
