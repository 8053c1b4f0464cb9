/**
 * The hub's history and how updates reach it: an {@link dev.herald.hub.store.UpdateLog} keeps the
 * updates in one total order, an {@link dev.herald.hub.store.UpdateBus} carries what the log made
 * durable to the hubs that dispatch it.
 *
 * <h2>Which log</h2>
 *
 * <ul>
 *   <li>{@link dev.herald.hub.store.SqliteUpdateStore}, the default: one file, durable (an
 *       acknowledged publish survives a crash and, with the default {@code synchronous=FULL}, a
 *       power loss), history bounded by count, size and age, cursors that continue across restarts.
 *   <li>{@link dev.herald.hub.store.MemoryUpdateStore}: no file, nothing survives a restart; for
 *       tests and for hubs whose history does not matter.
 *   <li>{@code dev.herald.redis.RedisUpdateStore} (module herald-redis): one Redis Stream shared by
 *       the hubs of a cluster, given to each with its own bus, which reads the stream.
 * </ul>
 *
 * Both are logs kept in this process: each batch they make durable is published on the bus given to
 * {@link dev.herald.hub.store.UpdateLog#publishTo}, before the appends are acknowledged. A hub on
 * its own pairs its log with a {@link dev.herald.hub.store.LocalUpdateBus}, which hands each batch
 * to the hub on the log's writer thread. Hubs that share their history (a cluster) share a log and
 * each listen on a bus that also delivers what the others appended; a Redis Streams log and bus fit
 * these interfaces: the stream ID is the cursor, every node reads the stream with {@code XREAD}.
 *
 * <p>Who is subscribed is a {@link dev.herald.hub.store.SubscriptionDirectory} of {@link
 * dev.herald.hub.store.ActiveSubscription}s: what the subscription API lists and the dashboard
 * counts. A hub on its own keeps its own in memory; a cluster's nodes share one (herald-redis's).
 *
 * <pre>{@code
 * UpdateLog log = SqliteUpdateStore.builder().path(Path.of("data/herald.db")).build();
 * Hub hub = Hub.builder().store(log).build(); // with a LocalUpdateBus
 * }</pre>
 *
 * <h2>Glossary</h2>
 *
 * <dl>
 *   <dt>cursor
 *   <dd>an update's place in its log's one total order ({@link dev.herald.server.Cursor}): opaque,
 *       ordered, never reused, not necessarily dense (SQLite's are 1, 2, 3…; a Redis stream's are
 *       {@code ms-seq}). Only the log that made a cursor interprets it.
 *   <dt>durable
 *   <dd>stored so that it survives what the log promises to survive; the {@code append} future
 *       completes only then, after the update was published on the bus.
 *   <dt>retention
 *   <dd>the log forgetting its oldest updates to stay within its limits. The log remembers the last
 *       cursor it evicted ({@link dev.herald.hub.store.UpdateLog#lastEvicted}; for a Redis stream,
 *       the ID before its first entry once any is gone): a read after an earlier cursor reports the
 *       gap, and {@code Last-Event-ID} lookups miss the evicted updates.
 *   <dt>gap
 *   <dd>a reader's cursor is before the last one evicted: the log no longer holds everything after
 *       it, and says so rather than return a page with a hole.
 * </dl>
 */
package dev.herald.hub.store;
