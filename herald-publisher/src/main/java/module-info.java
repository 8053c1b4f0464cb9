/**
 * Publishing to any Mercure hub from Java: see {@link dev.herald.publisher.Publisher}. Needs the
 * JDK's HTTP client and nimbus-jose-jwt only, no Herald server or hub.
 */
module dev.herald.publisher {
  requires transitive java.net.http;
  requires com.nimbusds.jose.jwt;

  exports dev.herald.publisher;
}
