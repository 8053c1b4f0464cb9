/**
 * The counter demo: event IDs and {@code retry}. See {@link
 * dev.herald.examples.counter.CounterDemo}.
 */
package dev.herald.examples.counter;
