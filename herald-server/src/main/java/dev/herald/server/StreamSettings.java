package dev.herald.server;

import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;

/** What every stream of one server shares: its limits, policy, registry, metrics and timer. */
record StreamSettings(
    long maxPendingBytes,
    SlowConsumerPolicy slowConsumerPolicy,
    Duration slowConsumerRetry,
    long heartbeatNanos,
    Set<NettySseStream> registry,
    ServerMetrics metrics,
    Logger log,
    Heartbeats heartbeats) {

  StreamSettings(
      long maxPendingBytes,
      SlowConsumerPolicy slowConsumerPolicy,
      Duration slowConsumerRetry,
      long heartbeatNanos,
      Set<NettySseStream> registry,
      ServerMetrics metrics,
      Logger log) {
    this(
        maxPendingBytes,
        slowConsumerPolicy,
        slowConsumerRetry,
        heartbeatNanos,
        registry,
        metrics,
        log,
        new Heartbeats(heartbeatNanos));
  }
}
