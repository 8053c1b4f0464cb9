package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU by thread, as the generator's verdict reads a subscribing process's busiest thread. */
class ProcessMetricsTest {
  @Test
  void everyThreadOfAProcessIsListedAndAnUnknownProcessHasNone() {
    long pid = ProcessHandle.current().pid();
    Map<Long, Long> cpu = ProcessMetrics.threadCpuNanos(pid);
    // this JVM has at least its main thread, a GC thread and a compiler thread
    assertThat(cpu).hasSizeGreaterThanOrEqualTo(3);
    assertThat(cpu.values()).allSatisfy(v -> assertThat(v).isNotNegative());
    assertThat(cpu.keySet()).contains(pid); // the main thread's ID is the process's
    assertThat(ProcessMetrics.threadCpuNanos(-1)).isEmpty();
  }

  @Test
  void aThreadSpinningNowIsSeenAsBusy() throws Exception {
    long pid = ProcessHandle.current().pid();
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    Thread spinner =
        new Thread(
            () -> {
              while (stop.getCount() > 0) {
                Thread.onSpinWait();
              }
            },
            "spinner");
    spinner.start();
    try {
      Map<Long, Long> before = ProcessMetrics.threadCpuNanos(pid);
      Thread.sleep(500);
      Map<Long, Long> after = ProcessMetrics.threadCpuNanos(pid);
      long busiest = 0;
      for (Map.Entry<Long, Long> t : after.entrySet()) {
        busiest = Math.max(busiest, t.getValue() - before.getOrDefault(t.getKey(), 0L));
      }
      // a thread that spins for 500 ms uses most of a core over it (ticks of 10 ms)
      assertThat(busiest).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));
    } finally {
      stop.countDown();
      spinner.join();
    }
  }
}
