package dev.herald.server;

/**
 * A step of a subscription's catch-up on its event loop, taken in inbox order: a {@code page} read
 * (or the {@code failure} of its read), or, with neither, word that the last page has left.
 *
 * @param <P> the type of the events' payload
 */
record CatchUpStep<P>(
    LoopSubscription<P> subscription, HistoryPages.Page<P> page, Throwable failure)
    implements LoopMessage<P> {
  /** Word that the last page has left, or that the stream can take the next. */
  static <P> CatchUpStep<P> next(LoopSubscription<P> subscription) {
    return new CatchUpStep<>(subscription, null, null);
  }

  @Override
  public void applyOn(LoopFanout<P> fanout) {
    fanout.catchUpAfterRun(this);
  }
}
