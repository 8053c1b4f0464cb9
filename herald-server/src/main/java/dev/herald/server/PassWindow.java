package dev.herald.server;

/**
 * How far apart an event loop's passes over its subscribers are: the coalescing window while the
 * loop keeps time, stretched while it runs late. The window is the coalescing window plus twice the
 * average lateness of the last passes (how long after its due time a pass began: the loop busy with
 * its connections, or waiting for a core on a loaded machine), averaged over about {@link
 * #LATE_PASSES} passes and at most {@link #MAX_STRETCH} times the coalescing window.
 *
 * <p>Why: a write costs a system call and its TCP work whatever it carries, so a loop that cannot
 * keep up spends what it lacks on writes that carry one or two events each. Stretched, it makes
 * fewer, larger passes — one write per connection for more events — and catches up; back on time,
 * the window shrinks to the coalescing window, and a quiet loop's events leave at once as before. A
 * coalescing window of zero (every event written at once) is never stretched.
 *
 * <p>{@link #passBegan} on the loop only; {@link #nanos} from any thread.
 */
final class PassWindow {
  /** The longest window, in coalescing windows. */
  static final int MAX_STRETCH = 5;

  /** The lateness is averaged over about this many passes (exponentially weighted). */
  static final int LATE_PASSES = 8;

  private final long coalesceNanos;
  private final long maxNanos;
  private long lateNanos; // the average lateness of the last passes
  private volatile long nanos;

  PassWindow(long coalesceNanos) {
    if (coalesceNanos < 0) {
      throw new IllegalArgumentException("negative coalescing window: " + coalesceNanos);
    }
    this.coalesceNanos = coalesceNanos;
    this.maxNanos = coalesceNanos * MAX_STRETCH;
    this.nanos = coalesceNanos;
  }

  /** A pass began {@code lateNanos} after it was due (zero or less: on time). */
  void passBegan(long lateNanos) {
    this.lateNanos += (Math.max(lateNanos, 0) - this.lateNanos) / LATE_PASSES;
    nanos = Math.min(coalesceNanos + 2 * this.lateNanos, maxNanos);
  }

  /** The shortest time between the beginnings of two passes, now. */
  long nanos() {
    return nanos;
  }
}
