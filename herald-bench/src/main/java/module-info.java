/**
 * Herald's benchmarks: the SSE load generator with its scenarios and side-by-side report, run by
 * {@code ./herald bench}; Herald's bench server; and JMH benchmarks of the wire format against
 * reference parsers. Not a library: it exports only the bench command, for herald-cli.
 */
// JMH, okio, okhttp-sse, both LaunchDarkly jars, HdrHistogram and the Prometheus registry ship no
// module descriptor, so they can only be required as automatic modules; the lint says just that,
// nothing that could be fixed here.
@SuppressWarnings("requires-automatic")
module dev.herald.bench {
  requires dev.herald.core;
  requires dev.herald.server;
  requires dev.herald.client;
  requires dev.herald.hub;
  requires dev.herald.redis;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires HdrHistogram;
  requires info.picocli;
  requires com.fasterxml.jackson.core;
  requires jdk.management;
  requires micrometer.core;
  requires micrometer.registry.prometheus;

  // Only dev.herald.bench.jmh uses these; they are optional at run time (herald-cli has none).
  requires static jmh.core;
  requires static okhttp3.sse;
  requires static okhttp3;
  requires static okio;
  requires static okhttp.eventsource;
  requires static launchdarkly.logging;

  exports dev.herald.bench.cli;

  opens dev.herald.bench.cli to
      info.picocli;
}
