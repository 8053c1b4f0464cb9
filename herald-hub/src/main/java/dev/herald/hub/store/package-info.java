/**
 * The hub's history: the {@link dev.herald.hub.store.UpdateStore} interface, the embedded SQLite
 * store and an in-memory one.
 *
 * <h2>Which store</h2>
 *
 * <ul>
 *   <li>{@link dev.herald.hub.store.SqliteUpdateStore}, the default: one file, durable (an
 *       acknowledged publish survives a crash and, with the default {@code synchronous=FULL}, a
 *       power loss), history bounded by count, size and age, sequences that continue across
 *       restarts.
 *   <li>{@link dev.herald.hub.store.MemoryUpdateStore}: no file, nothing survives a restart; for
 *       tests and for hubs whose history does not matter.
 * </ul>
 *
 * <h2>Glossary</h2>
 *
 * <dl>
 *   <dt>sequence
 *   <dd>an update's place in the store's one total order: 1, 2, 3… with no gaps among the updates
 *       the store accepted, never reused.
 *   <dt>durable
 *   <dd>stored so that it survives what the store promises to survive; the {@code append} future
 *       completes only then, after the listener has seen the update.
 *   <dt>retention
 *   <dd>the store forgetting its oldest updates to stay within its limits; the hub's {@code
 *       Last-Event-ID} lookups then miss them.
 * </dl>
 */
package dev.herald.hub.store;
