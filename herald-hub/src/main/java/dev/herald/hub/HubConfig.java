package dev.herald.hub;

import dev.herald.hub.auth.AccessPolicy;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.store.SubscriptionDirectory;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateLog;
import dev.herald.server.ServerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link Hub.Builder} held when {@link Hub.Builder#build()} was called: the hub's one
 * configuration, immutable, so that changing the builder afterwards changes no hub. Every value was
 * checked by the builder's setter that took it; {@code null} collaborators are those the hub makes
 * (and owns) itself; a {@code null} node name is the bound address. The policy is always set: the
 * token policy the builder made, or the one it was given; {@code verifier} is the token policy's,
 * which the hub closes, or {@code null}; {@code anonymousSubscribers} and {@code
 * anonymousPublishers} are the token policy's settings (false with a policy of the application's
 * own). {@code openDashboard} is resolved: never {@code null}.
 */
record HubConfig(
    ServerSettings server,
    String path,
    String nodeName,
    String publicUrl,
    String resource,
    AccessPolicy policy,
    TokenVerifier verifier,
    boolean anonymousSubscribers,
    boolean anonymousPublishers,
    boolean strict,
    String cookieName,
    UpdateLog log,
    UpdateBus bus,
    SubscriptionDirectory directory,
    Duration coalesce,
    boolean subscriptionsApi,
    boolean dashboard,
    boolean openDashboard,
    boolean gapEvents,
    int maxMatchers,
    int maxTopics,
    int historyWindow,
    int maxPendingPublishes,
    Duration maxConnectionLifetime,
    MeterRegistry meterRegistry,
    Executor replayExecutor,
    ScheduledExecutorService timerExecutor) {

  /**
   * Whether the hub serves a dashboard open to anyone: its JSON and the subscription API then
   * answer without credentials.
   */
  boolean servesOpenDashboard() {
    return dashboard && openDashboard;
  }
}
