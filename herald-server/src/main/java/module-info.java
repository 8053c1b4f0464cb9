/**
 * Herald's embeddable Netty server: SSE endpoints, plain routes and static files. See {@link
 * dev.herald.server.HeraldServer}.
 */
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
  requires static org.bouncycastle.pkix;
  requires static org.bouncycastle.provider;
  requires org.slf4j;

  exports dev.herald.server;
}
