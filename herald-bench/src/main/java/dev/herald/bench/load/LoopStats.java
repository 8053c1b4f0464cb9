package dev.herald.bench.load;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the subscribers of one event loop received: counters and a latency histogram (publish
 * schedule to receipt, in microseconds). The loop's thread writes; {@link SubscriberPool} reads the
 * counters in a task on that loop, and the histogram's intervals from any thread.
 */
final class LoopStats {
  /** The highest latency recorded: an hour, in microseconds. */
  static final long MAX_MICROS = 3_600_000_000L;

  final EventLoop loop;
  final List<Subscriber> subscribers = new ArrayList<>();
  private final SingleWriterRecorder latency = new SingleWriterRecorder(MAX_MICROS, 3);
  long events;
  long bytes;
  long lastEventNanos;

  LoopStats(EventLoop loop) {
    this.loop = loop;
  }

  void record(long timestamp, long receivedNanos) {
    events++;
    lastEventNanos = receivedNanos;
    if (timestamp > 0) {
      long micros = Math.max(0, (receivedNanos - timestamp) / 1000);
      latency.recordValue(Math.min(micros, MAX_MICROS));
    }
  }

  /** The latencies recorded since the last call, which starts a new interval. */
  Histogram takeLatency() {
    return latency.getIntervalHistogram();
  }
}
