/**
 * Herald's embeddable Netty server: SSE endpoints, plain routes and static files. See {@link
 * dev.herald.server.HeraldServer}.
 */
// Micrometer is an optional, automatic module: HeraldServerMetrics exposes its types only to
// applications that have it, so it is neither required transitively nor by name in the JDK sense.
@SuppressWarnings("requires-automatic")
module dev.herald.server {
  requires transitive dev.herald.core;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires jdk.management;
  requires static micrometer.core;
  requires static org.bouncycastle.pkix;
  requires static org.bouncycastle.provider;
  requires org.slf4j;

  exports dev.herald.server;
}
