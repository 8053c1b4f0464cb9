package dev.herald.spring.boot;

import dev.herald.hub.Hub;
import dev.herald.redis.RedisSettings;
import dev.herald.redis.RedisSubscriptionDirectory;
import dev.herald.redis.RedisUpdateStore;

/**
 * The embedded hub as a cluster node: its history, its bus and its subscription directory in Redis
 * ({@code herald.hub.redis.*}), as {@code herald hub --redis} makes them. Loaded only when a Redis
 * URL is set, so that herald-redis (and Lettuce) stay optional.
 */
final class EmbeddedRedis {
  private EmbeddedRedis() {}

  /** Whether herald-redis is on the class path. */
  static boolean available(ClassLoader loader) {
    try {
      Class.forName("dev.herald.redis.RedisUpdateStore", false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Connects to Redis and gives {@code hub} the store, its bus and the cluster's subscription
   * directory, all closed with the hub; returns what closes them should the hub not be built.
   *
   * @throws dev.herald.hub.store.UpdateStoreException if Redis cannot be reached
   */
  static AutoCloseable configure(Hub.Builder hub, HeraldProperties.Hub.Redis p, String nodeName) {
    RedisSettings.Builder settings = RedisSettings.builder().uri(p.getUrl());
    if (p.getStream() != null) {
      settings.streamKey(p.getStream());
    }
    if (p.getWaitReplicas() != null) {
      settings.waitReplicas(p.getWaitReplicas());
    }
    if (p.getWaitTimeout() != null) {
      settings.waitTimeout(p.getWaitTimeout());
    }
    if (p.getMaxLength() != null) {
      settings.maxLength(p.getMaxLength());
    }
    if (p.getMaxAge() != null) {
      settings.maxAge(p.getMaxAge());
    }
    if (nodeName != null) {
      settings.nodeName(nodeName);
    }
    RedisUpdateStore store = RedisUpdateStore.open(settings.build());
    RedisSubscriptionDirectory directory;
    try {
      hub.store(store, store.bus());
      directory = RedisSubscriptionDirectory.open(store.settings());
      hub.subscriptionDirectory(directory);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return () -> {
      directory.close();
      store.close();
    };
  }
}
