package dev.herald.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Group commit for {@code WAIT}: appends sent while a {@code WAIT} is on its way share the next
 * one, which Redis answers once the given number of replicas has every write sent before it on the
 * connection. A {@code WAIT} is sent right away when none is out, so an append alone waits no
 * longer than its replication. Thread-safe; a caller calls {@link #after} once Redis replied to its
 * write.
 */
final class ReplicaWait {
  private final RedisAsyncCommands<String, String> redis;
  private final int replicas;
  private final long timeoutMillis;
  private List<CompletableFuture<Long>> batch = new ArrayList<>();
  private boolean sent;

  ReplicaWait(RedisAsyncCommands<String, String> redis, int replicas, long timeoutMillis) {
    this.redis = redis;
    this.replicas = replicas;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The number of replicas that acknowledged, per a {@code WAIT} sent after the caller's write; it
   * fails if the {@code WAIT} does.
   */
  synchronized CompletableFuture<Long> after() {
    CompletableFuture<Long> acknowledged = new CompletableFuture<>();
    batch.add(acknowledged);
    if (!sent) {
      send();
    }
    return acknowledged;
  }

  private void send() {
    List<CompletableFuture<Long>> waiting = batch;
    batch = new ArrayList<>();
    sent = true;
    CompletionStage<Long> replicated;
    try {
      replicated = redis.waitForReplication(replicas, timeoutMillis);
    } catch (RuntimeException e) { // should Lettuce throw instead of failing the future
      replicated = CompletableFuture.failedFuture(e);
    }
    replicated.whenComplete(
        (count, failure) -> {
          for (CompletableFuture<Long> f : waiting) {
            if (failure != null) {
              f.completeExceptionally(failure);
            } else {
              f.complete(count);
            }
          }
          synchronized (this) {
            sent = false;
            if (!batch.isEmpty()) {
              send();
            }
          }
        });
  }
}
