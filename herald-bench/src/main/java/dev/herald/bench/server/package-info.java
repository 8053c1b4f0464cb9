/**
 * Herald's bench server: {@link dev.herald.bench.server.HeraldBenchServer}, Herald with the URL
 * shape of the reference servers, so that the load generator drives them all alike.
 */
package dev.herald.bench.server;
