package dev.herald.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * What the subscribers of one event loop received: counters and a latency histogram (publish
 * schedule to receipt, in microseconds). The loop's thread writes; {@link SubscriberPool} reads the
 * counters in a task on that loop, and the histogram's intervals and {@link #eventsSoFar} from any
 * thread (a loop busy reading may run a task only after a long while: the probes' samples must not
 * wait for it).
 *
 * <p>The loop records a read's latencies between {@link #beginRead} and {@link #endRead}: one
 * critical section of the histogram's phaser per read, not per event (a recorder's two atomic
 * increments per value were 5 % of a saturated generator's CPU).
 */
final class LoopStats {
  /** The highest latency recorded: an hour, in microseconds. */
  static final long MAX_MICROS = 3_600_000_000L;

  /** How many stream ends a loop tells of, per set of subscribers. */
  static final int MAX_LOGGED = 20;

  final EventLoop loop;
  final List<Subscriber> subscribers = new ArrayList<>();
  private final WriterReaderPhaser phaser = new WriterReaderPhaser();
  private volatile Histogram latency = newHistogram();
  private long readPhase; // the phaser's value at beginRead
  long events;
  long bytes;
  long lastEventNanos;
  int endedResponse; // open streams whose response the server ended (its last chunk)
  int endedFailed; // open streams whose connection failed (a reset, say)
  int endedClosed; // open streams whose connection the server closed
  private int logged;

  private static final VarHandle EVENTS;

  static {
    try {
      EVENTS = MethodHandles.lookup().findVarHandle(LoopStats.class, "events", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  LoopStats(EventLoop loop) {
    this.loop = loop;
  }

  /** The events received so far, from any thread: at most a moment behind the loop's count. */
  long eventsSoFar() {
    return (long) EVENTS.getOpaque(this);
  }

  /** A read begins: {@link #record} may be called until {@link #endRead}. */
  void beginRead() {
    readPhase = phaser.writerCriticalSectionEnter();
  }

  /** The read's events are recorded. */
  void endRead() {
    phaser.writerCriticalSectionExit(readPhase);
  }

  /** An event of the current read, published at {@code timestamp} (0 or less: unknown). */
  void record(long timestamp, long receivedNanos) {
    EVENTS.setOpaque(this, events + 1); // a plain store on x86, seen by eventsSoFar soon after
    lastEventNanos = receivedNanos;
    if (timestamp > 0) {
      long micros = Math.max(0, (receivedNanos - timestamp) / 1000);
      latency.recordValue(Math.min(micros, MAX_MICROS));
    }
  }

  /**
   * An open stream ended without the generator closing it: counted by how, and the first {@link
   * #MAX_LOGGED} of a loop told on standard error (the worker's log) with the time and the local
   * address, to be matched with the server's log.
   */
  void ended(Channel channel, boolean responseEnded, Throwable failure) {
    String how;
    if (responseEnded) {
      endedResponse++;
      how = "the server ended the response";
    } else if (failure != null) {
      endedFailed++;
      how = "the connection failed: " + failure;
    } else {
      endedClosed++;
      how = "the server closed the connection";
    }
    if (logged < MAX_LOGGED) {
      logged++;
      System.err.printf(
          "%s stream %s ended: %s%n", java.time.Instant.now(), channel.localAddress(), how);
    }
  }

  /** Forgets the counters, for a fresh set of subscribers. */
  void reset() {
    EVENTS.setOpaque(this, 0L);
    bytes = 0;
    endedResponse = 0;
    endedFailed = 0;
    endedClosed = 0;
    logged = 0;
    takeLatency();
  }

  /**
   * The latencies recorded since the last call, which starts a new interval: once the phaser has
   * flipped, no read still records into the histogram taken.
   */
  Histogram takeLatency() {
    phaser.readerLock();
    try {
      Histogram taken = latency;
      latency = newHistogram();
      phaser.flipPhase();
      return taken;
    } finally {
      phaser.readerUnlock();
    }
  }

  private static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, 3);
  }
}
