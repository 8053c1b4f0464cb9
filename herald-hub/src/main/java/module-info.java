/**
 * Herald's Mercure hub: subscribe and publish at {@code /.well-known/mercure}, JWT authorization,
 * durable history, a dashboard. Run it with {@code ./herald hub}, or embed it with {@link
 * dev.herald.hub.Hub}.
 */
// The Micrometer jars are automatic modules, named in their manifests (stable names).
@SuppressWarnings("requires-automatic")
module dev.herald.hub {
  requires transitive dev.herald.server;
  requires dev.herald.urlpattern;
  requires com.nimbusds.jose.jwt;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires java.sql;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires org.slf4j;
  requires org.xerial.sqlitejdbc;

  exports dev.herald.hub;
  exports dev.herald.hub.auth;
  exports dev.herald.hub.mercure;
  exports dev.herald.hub.store;
}
