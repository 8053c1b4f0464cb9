package dev.herald.reliability;

import java.util.BitSet;
import java.util.Map;

/**
 * What one subscriber received, checked against what was acknowledged, without keeping every ID:
 * the tests publish with IDs of the form {@code P-I} (publisher {@code P}, its {@code I}th update,
 * each publisher sending its next only after the last was acknowledged, so that its updates must
 * arrive in index order). Counts duplicates, updates out of their publisher's order, and at the end
 * the acknowledged ones that never came; a running hash of the whole sequence lets subscribers be
 * compared with each other. Update {@code END-n} ({@link #END}) marks the end of run {@code n}.
 *
 * <p>Written by one thread at a time; {@link #events()} and {@link #endSeen()} may be read by any.
 */
final class IdTally {
  /** The publisher of the update that ends a run. */
  static final int END = 99;

  private final int endIndex;
  private final BitSet[] seen = new BitSet[END + 1];
  private final int[] highest = new int[END + 1];
  private volatile long events;
  private volatile boolean endSeen;
  private long duplicates;
  private long reordered;
  private long foreign;
  private long hash = 1;

  /** A tally whose run ends at update {@code END-endIndex}. */
  IdTally(int endIndex) {
    this.endIndex = endIndex;
  }

  /** Records an update whose ID did not parse as {@code P-I}. */
  void foreign() {
    foreign++;
  }

  /** Records the update {@code P-I}. */
  void accept(int publisher, int index) {
    if (publisher < 0 || publisher > END || index < 0) {
      foreign++;
      return;
    }
    events++;
    hash = hash * 31 + (publisher * 1_000_003L + index);
    if (publisher == END && index == endIndex) {
      endSeen = true;
    }
    BitSet mine = seen[publisher];
    if (mine == null) {
      mine = seen[publisher] = new BitSet();
      highest[publisher] = -1;
    }
    if (mine.get(index)) {
      duplicates++;
      return;
    }
    mine.set(index);
    if (index < highest[publisher]) {
      reordered++;
    }
    highest[publisher] = Math.max(highest[publisher], index);
  }

  long events() {
    return events;
  }

  boolean endSeen() {
    return endSeen;
  }

  long duplicates() {
    return duplicates;
  }

  long reordered() {
    return reordered;
  }

  /** Updates whose ID was not {@code P-I}, or outside every expected range. */
  long foreign(Map<Integer, int[]> expected) {
    long outside = foreign;
    for (int p = 0; p <= END; p++) {
      if (seen[p] != null) {
        int[] range = expected.get(p);
        BitSet in = (BitSet) seen[p].clone();
        if (range != null) {
          in.clear(range[0], range[1]);
        }
        outside += in.cardinality();
      }
    }
    return outside;
  }

  /** Acknowledged updates never received: {@code expected} maps a publisher to [from, to). */
  long lost(Map<Integer, int[]> expected) {
    long lost = 0;
    for (Map.Entry<Integer, int[]> e : expected.entrySet()) {
      int[] range = e.getValue();
      BitSet mine = seen[e.getKey()];
      int got = mine == null ? 0 : mine.get(range[0], range[1]).cardinality();
      lost += range[1] - range[0] - got;
    }
    return lost;
  }

  /** The acknowledged indexes {@code acked} of {@code publisher} never received. */
  long lost(int publisher, java.util.BitSet acked) {
    java.util.BitSet missing = (java.util.BitSet) acked.clone();
    if (seen[publisher] != null) {
      missing.andNot(seen[publisher]);
    }
    return missing.cardinality();
  }

  /** Updates of {@code publisher} received that are not in {@code acked}. */
  long unacknowledged(int publisher, java.util.BitSet acked) {
    if (seen[publisher] == null) {
      return 0;
    }
    java.util.BitSet extra = (java.util.BitSet) seen[publisher].clone();
    extra.andNot(acked);
    return extra.cardinality();
  }

  /** A hash of the whole sequence received: equal for subscribers that received the same. */
  long sequenceHash() {
    return hash;
  }
}
