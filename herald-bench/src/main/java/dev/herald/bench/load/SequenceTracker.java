package dev.herald.bench.load;

/**
 * Checks one subscriber's sequence numbers: every number from {@code first} on should arrive
 * exactly once. Several publisher connections may reorder neighbours (a publish the server answers
 * late falls behind those sent after it), so a number is checked against a window of the {@value
 * #WINDOW} numbers below the highest seen: one seen twice there is a duplicate. One that arrives
 * below the window is counted as arrived, and as late: whether it is a duplicate cannot be told.
 * Missing numbers — gaps — are counted at {@link #missing(long)} time, against the last number
 * published.
 *
 * <p>Not thread-safe: one subscriber's event loop owns it.
 */
final class SequenceTracker {
  /** How far out of order a number may arrive and still be checked for duplicates. */
  static final int WINDOW = 8192;

  private final long first;
  private final long[] seen = new long[WINDOW / 64];
  private long highest;
  private long distinct;
  private long duplicates;
  private long late;

  /** A tracker expecting every number from {@code first} on. */
  SequenceTracker(long first) {
    if (first < 1) {
      throw new IllegalArgumentException("first must be positive: " + first);
    }
    this.first = first;
    this.highest = first - 1;
  }

  /** Records that {@code seq} arrived. */
  void accept(long seq) {
    if (seq > highest) {
      clear(highest + 1, seq);
      highest = seq;
      mark(seq);
      distinct++;
    } else if (seq < first) {
      duplicates++; // nothing before first was ever due: the server sent it again
    } else if (seq <= highest - WINDOW) {
      late++;
      distinct++;
    } else if (isMarked(seq)) {
      duplicates++;
    } else {
      mark(seq);
      distinct++;
    }
  }

  /** The highest number seen, or {@code first - 1} if none. */
  long highest() {
    return highest;
  }

  /** The first number expected. */
  long first() {
    return first;
  }

  /** Distinct numbers seen from {@code first} on (late ones included). */
  long distinct() {
    return distinct;
  }

  /** Numbers seen again. */
  long duplicates() {
    return duplicates;
  }

  /** Numbers that arrived more than {@link #WINDOW} below the highest seen. */
  long late() {
    return late;
  }

  /**
   * Whether every number from {@code first} to {@code last} has arrived. Seeing {@code last} is not
   * enough: a publish sent just before it on another connection may still be on its way.
   */
  boolean hasAllUpTo(long last) {
    return highest >= last && missing(last) == 0;
  }

  /** The numbers from {@code first} to {@code last} that never arrived: the gaps. */
  long missing(long last) {
    long due = Math.max(0, last - first + 1);
    long arrived = highest > last ? distinctUpTo(last) : distinct;
    return Math.max(0, due - arrived);
  }

  /** Distinct numbers up to {@code last} when higher ones arrived too: within the window only. */
  private long distinctUpTo(long last) {
    long above = 0;
    for (long s = Math.max(last + 1, highest - WINDOW + 1); s <= highest; s++) {
      if (isMarked(s)) {
        above++;
      }
    }
    return distinct - above;
  }

  /** Unmarks the slots that {@code from..to} reuse as the window moves up. */
  private void clear(long from, long to) {
    if (to - from >= WINDOW) {
      java.util.Arrays.fill(seen, 0L);
      return;
    }
    for (long s = from; s <= to; s++) {
      int slot = (int) (s & (WINDOW - 1));
      seen[slot >>> 6] &= ~(1L << slot);
    }
  }

  private void mark(long seq) {
    int slot = (int) (seq & (WINDOW - 1));
    seen[slot >>> 6] |= 1L << slot;
  }

  private boolean isMarked(long seq) {
    int slot = (int) (seq & (WINDOW - 1));
    return (seen[slot >>> 6] & (1L << slot)) != 0;
  }
}
