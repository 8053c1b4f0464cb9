package dev.herald.reliability;

import java.util.BitSet;
import java.util.List;

/**
 * What a set of subscribers received, judged against what a set of publishers had acknowledged:
 * acknowledged updates never received (lost), received twice (duplicates), out of their publisher's
 * order (reordered), received but never acknowledged (stored while their publish failed: allowed),
 * the gaps the hub reported, the reconnections, and whether every subscriber received the very same
 * sequence (one total order).
 */
record Deliveries(
    int subscribers,
    long acknowledged,
    long lost,
    long duplicates,
    long reordered,
    long unacknowledged,
    int gaps,
    int reconnects,
    long longestOutageMillis,
    boolean oneSequence) {

  static Deliveries of(List<ResumingReader> readers, List<PublishLoop> publishers) {
    long acknowledged = 0;
    for (PublishLoop p : publishers) {
      acknowledged += p.acked().cardinality();
    }
    long lost = 0;
    long duplicates = 0;
    long reordered = 0;
    long unacknowledged = 0;
    int gaps = 0;
    int reconnects = 0;
    long outage = 0;
    Long hash = null;
    boolean one = true;
    for (ResumingReader r : readers) {
      for (PublishLoop p : publishers) {
        BitSet acked = p.acked();
        lost += r.tally.lost(p.publisher(), acked);
        unacknowledged += r.tally.unacknowledged(p.publisher(), acked);
      }
      duplicates += r.tally.duplicates();
      reordered += r.tally.reordered();
      gaps += r.gaps();
      reconnects += r.reconnects();
      outage = Math.max(outage, r.longestOutageMillis());
      if (hash == null) {
        hash = r.tally.sequenceHash();
      }
      one &= hash == r.tally.sequenceHash();
    }
    return new Deliveries(
        readers.size(),
        acknowledged,
        lost,
        duplicates,
        reordered,
        unacknowledged,
        gaps,
        reconnects,
        outage,
        one);
  }

  /** The figures, as a FIGURE line's tail. */
  String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "%,d subscribers, %,d acknowledged: %,d lost, %,d duplicates, %,d reordered, %,d gaps"
            + " reported, %,d stored but unacknowledged received; %,d reconnections, longest"
            + " without a stream %,d ms; one sequence for all: %s",
        subscribers,
        acknowledged,
        lost,
        duplicates,
        reordered,
        gaps,
        unacknowledged,
        reconnects,
        longestOutageMillis,
        oneSequence ? "yes" : "no");
  }
}
