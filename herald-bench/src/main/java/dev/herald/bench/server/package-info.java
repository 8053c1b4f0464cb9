/**
 * Herald's bench servers: {@link dev.herald.bench.server.HeraldBenchServer}, Herald with the URL
 * shape of the reference servers, so that the load generator drives them all alike; and {@link
 * dev.herald.bench.server.HubBenchServer}, Herald's Mercure hub open to anonymous clients.
 */
package dev.herald.bench.server;
