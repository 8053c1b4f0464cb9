package dev.herald.server;

/**
 * What an event loop's inbox holds, in the order the broadcaster's lock gave it: a {@link
 * Published} event, a {@link LoopSubscription} to list, a {@link CatchUpStep}. The loop applies
 * each on its thread, in order.
 *
 * @param <P> the type of the events' payload
 */
interface LoopMessage<P> {
  /** Applies this message to {@code fanout}, on its loop. */
  void applyOn(LoopFanout<P> fanout);

  /** Releases what it holds: its loop has stopped and will never apply it. */
  default void discard() {}
}
