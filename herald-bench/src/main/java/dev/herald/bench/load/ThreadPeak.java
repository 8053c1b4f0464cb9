package dev.herald.bench.load;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a server under test used: the most its processes held together while a measurement
 * ran, sampled from {@code /proc/PID/status} every {@link #PERIOD_MILLIS} ms on a thread of its
 * own, and how many they held before. Works for any target the bench started (a JVM, nginx and its
 * workers), so a fan-out point reads deliveries/s and threads side by side; an external server has
 * no process here, and no figure.
 *
 * <p>Thread-safe: the sampling thread writes, any thread reads.
 */
final class ThreadPeak implements AutoCloseable {
  /** Between two samples. */
  static final long PERIOD_MILLIS = 200;

  private final List<Long> pids;
  private final int before;
  private final Thread sampler;
  private final AtomicInteger peak = new AtomicInteger(-1);
  private volatile boolean running = true;

  private ThreadPeak(List<Long> pids) {
    this.pids = List.copyOf(pids);
    this.before = count(this.pids);
    this.peak.set(before);
    this.sampler = new Thread(this::sample, "herald-bench-threads");
    sampler.setDaemon(true);
    if (!this.pids.isEmpty()) {
      sampler.start();
    }
  }

  /** Starts sampling the threads of {@code pids} (a server's processes; none: no figures). */
  static ThreadPeak start(List<Long> pids) {
    return new ThreadPeak(pids);
  }

  private void sample() {
    while (running) {
      peak.accumulateAndGet(count(pids), Math::max);
      try {
        TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The threads of {@code pids} together now; -1 if none could be read. */
  static int count(List<Long> pids) {
    int sum = -1;
    for (long pid : pids) {
      int n = ProcessMetrics.threads(pid);
      if (n >= 0) {
        sum = Math.max(sum, 0) + n;
      }
    }
    return sum;
  }

  /** Threads before the measurement; -1 if unknown. */
  int before() {
    return before;
  }

  /** The most threads seen so far, a last sample included; -1 if unknown. */
  int peak() {
    return peak.accumulateAndGet(count(pids), Math::max);
  }

  /** Stops sampling. */
  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
