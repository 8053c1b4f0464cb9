package dev.herald.server;

import java.time.Duration;
import org.slf4j.Logger;

/** What every stream of one server shares: its limits, policy, metrics, and its open streams. */
record StreamSettings(
    long maxPendingBytes,
    SlowConsumerPolicy slowConsumerPolicy,
    Duration slowConsumerRetry,
    ServerMetrics metrics,
    Logger log,
    OpenStreams streams) {

  StreamSettings(
      long maxPendingBytes,
      SlowConsumerPolicy slowConsumerPolicy,
      Duration slowConsumerRetry,
      long heartbeatNanos,
      ServerMetrics metrics,
      Logger log) {
    this(
        maxPendingBytes,
        slowConsumerPolicy,
        slowConsumerRetry,
        metrics,
        log,
        new OpenStreams(heartbeatNanos));
  }
}
