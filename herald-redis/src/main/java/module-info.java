/**
 * Hubs that cluster through Redis: one Redis Stream holds the cluster's history in one total order,
 * every node reads it and fans out locally. See {@link dev.herald.redis.RedisUpdateStore}.
 */
// Lettuce is an automatic module (its Automatic-Module-Name is lettuce.core).
@SuppressWarnings("requires-automatic")
module dev.herald.redis {
  requires transitive dev.herald.hub;
  requires lettuce.core;
  requires micrometer.core;
  requires org.slf4j;

  exports dev.herald.redis;
}
