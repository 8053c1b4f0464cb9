/**
 * Test infrastructure for server-sent events: {@link dev.herald.testing.MockSseServer}, a
 * scriptable SSE server on plain JDK sockets for testing clients; {@link
 * dev.herald.testing.Chromium} and {@link dev.herald.testing.NodeEventSource}, real browser-grade
 * clients for testing servers.
 */
module dev.herald.testing {
  requires transitive dev.herald.core;
  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http;

  exports dev.herald.testing;
}
