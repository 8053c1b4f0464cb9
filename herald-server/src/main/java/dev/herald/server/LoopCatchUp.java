package dev.herald.server;

/**
 * The catch-ups of one event loop's subscriptions, step by step in the loop's inbox order (see
 * {@link Subscription}): a page is read on the history reader, comes back through the inbox, is
 * written, and the next is asked for once the stream can take more: at once while its connection
 * stays below its high water mark, else once the page has left. A catch-up that has been given
 * every event the loop has delivered goes live, once its connection has drained to the low water
 * mark, so that the first live events find room.
 *
 * <p>On the loop.
 *
 * @param <P> the type of the events' payload
 */
final class LoopCatchUp<P> {
  private final LoopFanout<P> fanout;
  private final HistoryPages<P> pages;
  private final LoopWriter<P> writer;

  LoopCatchUp(LoopFanout<P> fanout, HistoryPages<P> pages, LoopWriter<P> writer) {
    this.fanout = fanout;
    this.pages = pages;
    this.writer = writer;
  }

  /** The next step of {@code s}'s catch-up: live if it has caught up, else a read of a page. */
  void step(LoopSubscription<P> s) {
    NettySseStream stream = s.stream;
    if (!stream.isOpen()) {
      return;
    }
    if (s.ahead(fanout.lastSeen())) {
      fanout.waitForLoop(s); // stepped again once the loop has delivered up to its cursor
      return;
    }
    if (s.caughtUp(fanout.lastSeen())) {
      if (stream.headSent() && !stream.roomForLive()) {
        // Pages filled the connection up to its high water mark: live events now would find it
        // unwritable and close a reader that is keeping up. Go live once it has drained.
        stream.whenSent(() -> fanout.enqueue(CatchUpStep.next(s)));
        writer.written(stream, 0, 0);
        return;
      }
      fanout.live(s);
      return;
    }
    pages
        .after(s.cursor)
        .whenComplete((page, failure) -> fanout.enqueue(new CatchUpStep<>(s, page, failure)));
  }

  /**
   * Takes a step: writes a page read, or goes on once one has been written. A failure (a filter
   * that throws) ends the stream: its client resumes from its last event ID.
   */
  void take(CatchUpStep<P> c) {
    try {
      takeStep(c);
    } catch (RuntimeException e) {
      c.subscription().stream.log().warn("a catch-up failed", e);
      c.subscription().stream.close();
    }
  }

  private void takeStep(CatchUpStep<P> c) {
    LoopSubscription<P> s = c.subscription();
    NettySseStream stream = s.stream;
    HistoryPages.Page<P> page = c.page();
    if (!stream.isOpen()) {
      return;
    }
    if (c.failure() != null) {
      stream.log().warn("reading history for {} failed", stream.request(), c.failure());
      stream.close();
      return;
    }
    if (page == null) {
      step(s); // the last page has left
      return;
    }
    if (page.gap()) {
      stream.close(); // the client resumes from its last event ID, and is told of the gap
      return;
    }
    if (!stream.headSent()) {
      stream.afterHead(() -> fanout.enqueue(c)); // the head is held: the page waits for it
      return;
    }
    int[] wanted = s.take(page, fanout.lastSeen());
    if (wanted.length == 0) {
      step(s);
    } else {
      writer.writePage(stream, page, wanted, () -> fanout.enqueue(CatchUpStep.next(s)));
    }
  }
}
