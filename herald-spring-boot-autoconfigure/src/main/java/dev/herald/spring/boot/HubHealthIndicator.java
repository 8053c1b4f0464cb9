package dev.herald.spring.boot;

import dev.herald.hub.Hub;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The embedded hub's health, at {@code /actuator/health/heraldHub}: up while the hub listens and
 * its store takes publishes ({@link Hub#isReady}), with its URL and subscriber count; down before
 * it started, after it stopped, or while its store fails (for a cluster node: while Redis cannot be
 * reached).
 */
final class HubHealthIndicator implements HealthIndicator {
  private final Hub hub;
  private final EmbeddedHubLifecycle lifecycle;

  HubHealthIndicator(Hub hub, EmbeddedHubLifecycle lifecycle) {
    this.hub = hub;
    this.lifecycle = lifecycle;
  }

  @Override
  public Health health() {
    if (!lifecycle.isRunning()) {
      return Health.down().withDetail("reason", "the hub is not running").build();
    }
    Health.Builder health = hub.isReady() ? Health.up() : Health.down();
    if (!hub.isReady()) {
      health.withDetail(
          "reason", "the hub's store takes no publishes (Redis unreachable, or it failed)");
    }
    return health.withDetail("url", hub.url()).withDetail("subscribers", hub.subscribers()).build();
  }
}
