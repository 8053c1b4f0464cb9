/**
 * The hub's history: the {@link dev.herald.hub.store.UpdateStore} interface, the embedded SQLite
 * store and an in-memory one.
 */
package dev.herald.hub.store;
