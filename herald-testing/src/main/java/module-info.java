/**
 * Test infrastructure for server-sent events: {@link dev.herald.testing.MockSseServer}, a
 * scriptable SSE server on plain JDK sockets for testing clients; {@link
 * dev.herald.testing.HeraldServerExtension} and {@link dev.herald.testing.HubExtension}, JUnit 5
 * extensions that run a Herald server or hub on a free port; {@link dev.herald.testing.Chromium}
 * and {@link dev.herald.testing.NodeEventSource}, real browser-grade clients for testing servers;
 * {@link dev.herald.testing.RedisServer}, a real {@code redis-server} for cluster tests.
 */
module dev.herald.testing {
  requires transitive dev.herald.core;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive org.junit.jupiter.api;
  requires java.net.http;
  // Optional: a test of a server alone needs no hub; each extension needs only its own module.
  requires static transitive dev.herald.server;
  requires static transitive dev.herald.hub;

  exports dev.herald.testing;
}
