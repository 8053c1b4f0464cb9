/**
 * Herald's Mercure hub: subscribe and publish at {@code /.well-known/mercure}, JWT authorization,
 * durable history, a dashboard. Run it with {@code ./herald hub}, or embed it with {@link
 * dev.herald.hub.Hub}.
 */
// re2j (the engine of auth.UriTemplateMatcher) ships no module descriptor and no
// Automatic-Module-Name, so "re2j" is its file-name-derived automatic module name; the Prometheus
// registry is an automatic module too.
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
  requires re2j;

  exports dev.herald.hub;
  exports dev.herald.hub.auth;
  exports dev.herald.hub.mercure;
  exports dev.herald.hub.store;
}
