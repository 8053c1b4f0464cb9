/**
 * Test infrastructure for server-sent events: {@link dev.herald.testing.MockSseServer}, a
 * scriptable SSE server on plain JDK sockets for testing clients.
 */
module dev.herald.testing {
  requires transitive dev.herald.core;

  exports dev.herald.testing;
}
