package dev.herald.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The hub's own meters, beside the server's. */
final class HubMetrics {
  private final MeterRegistry registry;
  private final Counter published;
  private final Counter rejectedTokens;
  private final Counter publishRequests;

  HubMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.published =
        Counter.builder("herald.hub.updates.published")
            .description("updates stored and dispatched")
            .register(registry);
    this.rejectedTokens =
        Counter.builder("herald.hub.tokens.rejected")
            .description("access tokens refused (401)")
            .register(registry);
    this.publishRequests =
        Counter.builder("herald.hub.publish.requests")
            .description("publish requests received")
            .register(registry);
  }

  void bind(Hub hub) {
    Gauge.builder("herald.hub.subscribers", hub, Hub::subscribers)
        .description("connected subscribers")
        .register(registry);
    Gauge.builder("herald.hub.ready", hub, h -> h.isReady() ? 1 : 0)
        .description("1 when the store takes publishes")
        .register(registry);
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
}
