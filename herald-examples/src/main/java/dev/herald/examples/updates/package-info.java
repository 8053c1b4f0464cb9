/**
 * The updates demo: typed JSON events with IDs, through a broadcaster whose history survives a
 * restart. See {@link dev.herald.examples.updates.UpdatesDemo}.
 */
package dev.herald.examples.updates;
