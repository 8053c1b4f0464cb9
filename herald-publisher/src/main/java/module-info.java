/**
 * Publishing to any Mercure hub from Java: see {@link dev.herald.publisher.Publisher}. Needs the
 * JDK's HTTP client, nimbus-jose-jwt and herald-core (the wire format, for its event IDs; no
 * dependencies) only, no Herald server or hub.
 */
module dev.herald.publisher {
  requires transitive java.net.http;
  requires com.nimbusds.jose.jwt;
  requires dev.herald.core;

  exports dev.herald.publisher;
}
