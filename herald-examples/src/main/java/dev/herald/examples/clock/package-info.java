/** The clock demo: the simplest stream. See {@link dev.herald.examples.clock.ClockDemo}. */
package dev.herald.examples.clock;
