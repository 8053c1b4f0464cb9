package dev.herald.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The inbox of one event loop's {@link LoopFanout}, and when its passes run. Messages enter from
 * any thread in the order the broadcaster's lock gave them; a pass, on the loop, applies them in
 * that order.
 *
 * <p>A pass begins at once when the last one began at least the window ago, else when the window
 * ends; messages that arrive meanwhile wait for it. The window is the coalescing window while the
 * loop keeps time, stretched while it runs late ({@link PassWindow}). A pass lasts at most {@link
 * #PASS_NANOS}. A pass that leaves messages behind comes back as a scheduled task, which the loop
 * runs only after it has served its connections again: when publishes arrive faster than the loop
 * can hand them out (a loaded machine, many subscribers), an unbounded pass would never end, and
 * the loop would accept, read and answer nothing meanwhile — a new stream would not even get its
 * response head.
 *
 * @param <P> the type of the events' payload
 */
final class LoopInbox<P> {
  private static final long PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final EventExecutor loop;
  private final PassWindow window;
  private final LoopFanout<P> fanout;
  private final Queue<LoopMessage<P>> messages = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile long passStarted; // when the last pass began (System.nanoTime())
  // When the pass now scheduled is due: written by whoever holds `scheduled` and schedules the
  // pass (a producer that set it, or the loop rescheduling a pass cut short), read by that pass.
  private volatile long dueNanos;

  LoopInbox(EventExecutor loop, long coalesceNanos, LoopFanout<P> fanout) {
    this.loop = loop;
    this.window = new PassWindow(coalesceNanos);
    this.fanout = fanout;
    this.passStarted = System.nanoTime() - coalesceNanos;
    // A pass still waiting when the loop stops is cancelled with the loop's scheduled tasks.
    loop.terminationFuture().addListener(f -> discard());
  }

  /** Adds {@code message}, from any thread, and makes sure a pass will take it. */
  void add(LoopMessage<P> message) {
    messages.add(message);
    if (scheduled.compareAndSet(false, true)) {
      try {
        long now = System.nanoTime();
        long windowNanos = window.nanos();
        long wait = windowNanos == 0 ? 0 : passStarted + windowNanos - now;
        dueNanos = now + Math.max(wait, 0);
        if (wait <= 0) {
          loop.execute(this::drain);
        } else {
          loop.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
        }
      } catch (RejectedExecutionException stopped) {
        discard(); // the server has stopped: its streams are gone
      }
    }
  }

  private void discard() {
    for (LoopMessage<P> m = messages.poll(); m != null; m = messages.poll()) {
      m.discard();
    }
    scheduled.set(false);
  }

  /**
   * One pass, on the loop. {@code scheduled} stays set while a pass is running or waiting, so
   * producers schedule none meanwhile; it is cleared only once the inbox is found empty.
   */
  private void drain() {
    long start = System.nanoTime();
    passStarted = start;
    window.passBegan(start - dueNanos);
    long deadline = start + PASS_NANOS;
    boolean more = true; // whether another pass must follow (also if a message throws)
    try {
      for (; ; ) {
        LoopMessage<P> m = messages.poll();
        if (m == null) {
          scheduled.set(false);
          // A message added since the poll found the flag set and scheduled no pass: take it on.
          if (messages.isEmpty() || !scheduled.compareAndSet(false, true)) {
            more = false;
            break;
          }
          continue;
        }
        m.applyOn(fanout);
        if (System.nanoTime() - deadline >= 0) {
          break;
        }
      }
    } finally {
      try {
        fanout.endPass();
      } finally {
        // Also after an exception: `scheduled` is still set, so nobody else would.
        if (more) {
          try {
            // Not execute(): the loop would run it in the same round of tasks, before any I/O.
            dueNanos = System.nanoTime();
            loop.schedule(this::drain, 0, TimeUnit.NANOSECONDS);
          } catch (RejectedExecutionException stopped) {
            discard(); // the server has stopped: its streams are gone
          }
        }
      }
    }
  }
}
