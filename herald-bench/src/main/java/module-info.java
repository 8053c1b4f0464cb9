/**
 * Herald's benchmarks: JMH benchmarks of the wire format against reference parsers, and the report
 * that turns their results into {@code BENCHMARKS.md}. Not a library: it exports nothing.
 */
// JMH, okio, okhttp-sse and both LaunchDarkly jars ship no module descriptor, so they can only be
// required as automatic modules; the lint says just that, nothing that could be fixed here.
@SuppressWarnings("requires-automatic")
module dev.herald.bench {
  requires dev.herald.core;
  requires jmh.core;
  requires okhttp3.sse;
  requires okio;
  requires okhttp.eventsource;
  requires launchdarkly.logging;
  requires com.fasterxml.jackson.core;
}
