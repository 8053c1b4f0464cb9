/**
 * Hubs that cluster through Redis: every node's history is one Redis Stream, which holds the
 * cluster's one total order; every node reads it and fans out to its own subscribers.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * RedisUpdateStore store = RedisUpdateStore.open(
 *     RedisSettings.builder().uri("redis://127.0.0.1:6379").nodeName("eu-1").build());
 * Hub hub = Hub.builder()
 *     .nodeName("eu-1")
 *     .store(store, store.bus()) // the hub closes both
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>From the command line: {@code ./herald hub --redis redis://127.0.0.1:6379} on each node.
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li>A publish is one Lua script: {@code XADD} with a {@code *} ID (Redis's clock orders the
 *       cluster; no node's clock matters), approximate trimming by count and age, and the lookup
 *       from the update's ID to its stream ID, trimmed with the stream. It is acknowledged once
 *       Redis replied, or once {@code WAIT} says enough replicas have it. The script goes out on a
 *       connection registered with the event loop that read the publish request, so the request,
 *       the command and the answer stay on one thread.
 *   <li>Each node's {@link dev.herald.redis.RedisUpdateStore#bus() bus} reads the stream with
 *       {@code XREAD BLOCK} on a connection and a thread of its own, from the last entry it
 *       delivered, so it picks up where it left off after Redis comes back.
 *   <li>Resuming ({@code Last-Event-ID}) works on any node: the ID resolves through Redis, and the
 *       history after it is read with {@code XRANGE}, the most recent updates from the hub's
 *       memory.
 *   <li>An epoch (a random value beside the stream) tells a history Redis lost (a restart without
 *       persistence, {@code FLUSHALL}) from one it kept: the nodes begin a new one after every
 *       position they had seen, and subscribers are told of the gap, never silently skipped.
 * </ul>
 *
 * <h2>Glossary</h2>
 *
 * <dl>
 *   <dt>stream ID
 *   <dd>{@code ms-seq}, an entry's place in the stream; the hub's cursor ({@code Cursor.of(ms,
 *       seq)}).
 *   <dt>epoch
 *   <dd>the identity of one unbroken history, at the stream's key + {@code :epoch}; appends carry
 *       the epoch their node knows and are refused under another.
 *   <dt>lag
 *   <dd>how far (milliseconds of stream) a node's reading is behind the newest entry.
 * </dl>
 */
package dev.herald.redis;
