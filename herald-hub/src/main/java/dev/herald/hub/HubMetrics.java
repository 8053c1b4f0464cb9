package dev.herald.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hub's own meters, beside the server's, in the registry the hub was given or made. {@link
 * #close()} removes them from a registry that outlives the hub.
 */
final class HubMetrics {
  private final MeterRegistry registry;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final Counter published;
  private final Counter rejectedTokens;
  private final Counter publishRequests;

  HubMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.published =
        add(
            Counter.builder("herald.hub.updates.published")
                .description("updates stored and dispatched")
                .register(registry));
    this.rejectedTokens =
        add(
            Counter.builder("herald.hub.tokens.rejected")
                .description("access tokens refused (401)")
                .register(registry));
    this.publishRequests =
        add(
            Counter.builder("herald.hub.publish.requests")
                .description("publish requests received")
                .register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void bind(Hub hub) {
    add(
        Gauge.builder("herald.hub.subscribers", hub, Hub::subscribers)
            .description("connected subscribers")
            .register(registry));
    add(
        Gauge.builder("herald.hub.cluster.subscribers", hub, Hub::clusterSubscribers)
            .description("subscribers connected to every node of the cluster, as last known")
            .register(registry));
    add(
        Gauge.builder("herald.hub.ready", hub, h -> h.isReady() ? 1 : 0)
            .description("1 when the store takes publishes")
            .register(registry));
  }

  void published() {
    published.increment();
  }

  void rejectedToken() {
    rejectedTokens.increment();
  }

  void publishRequest() {
    publishRequests.increment();
  }

  double publishedCount() {
    return published.count();
  }

  /** Removes the hub's meters from the registry. */
  void close() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    meters.clear();
  }
}
