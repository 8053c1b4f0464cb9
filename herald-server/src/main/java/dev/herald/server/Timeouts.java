package dev.herald.server;

/** The connection timeouts of one server, in nanoseconds; see {@link HeraldServer.Builder}. */
record Timeouts(long headNanos, long bodyNanos, long idleNanos, long tlsHandshakeMillis) {}
