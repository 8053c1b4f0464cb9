/**
 * Hubs that cluster through Redis: one Redis Stream holds the cluster's history in one total order,
 * every node reads it and fans out locally. See {@link dev.herald.redis.RedisUpdateStore}.
 */
// Lettuce is an automatic module (its Automatic-Module-Name is lettuce.core), which requires
// nothing by name: the modules it needs at run time are required here, so that resolving from
// this module finds them without --add-modules (Netty's DNS resolver, Reactor, its auth core).
@SuppressWarnings("requires-automatic")
module dev.herald.redis {
  requires transitive dev.herald.hub;
  requires lettuce.core;
  requires io.netty.common; // appends on the publish request's event loop: LoopConnections
  requires io.netty.transport;
  requires io.netty.resolver.dns;
  requires reactor.core;
  requires org.reactivestreams;
  requires redis.clients.authentication.core;
  requires micrometer.core;
  requires org.slf4j;

  exports dev.herald.redis;
}
