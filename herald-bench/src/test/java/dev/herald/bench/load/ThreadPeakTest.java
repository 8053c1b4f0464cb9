package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadPeakTest {
  @Test
  void readsTheThreadsLineOfProcStatus() {
    String status =
        "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nThreads:\t229\nVmRSS:\t1 kB\n";

    assertThat(ProcessMetrics.threadsOf(status)).isEqualTo(229);
    assertThat(ProcessMetrics.threadsOf("Name:\tjava\n")).isEqualTo(-1);
    assertThat(ProcessMetrics.threadsOf("Threads:\tmany\n")).isEqualTo(-1);
  }

  @Test
  void thePeakCountsThreadsStartedDuringTheMeasurement() throws Exception {
    long pid = ProcessHandle.current().pid();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(8);
    List<Thread> extra = new ArrayList<>();
    try (ThreadPeak peak = ThreadPeak.start(List.of(pid))) {
      int before = peak.before();
      assertThat(before).isPositive();
      for (int i = 0; i < 8; i++) {
        Thread t =
            new Thread(
                () -> {
                  started.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        extra.add(t);
      }
      started.await();

      assertThat(peak.peak()).isGreaterThanOrEqualTo(before + 8);
    } finally {
      release.countDown();
      for (Thread t : extra) {
        t.join();
      }
    }
  }

  @Test
  void openFilesCountsTheFileDescriptorsOfTheProcesses() throws Exception {
    long pid = ProcessHandle.current().pid();
    int before = ProcessMetrics.openFiles(List.of(pid));
    try (java.nio.channels.ServerSocketChannel extra =
        java.nio.channels.ServerSocketChannel.open()) {
      assertThat(extra.isOpen()).isTrue();
      assertThat(ProcessMetrics.openFiles(List.of(pid))).isGreaterThan(before);
    }
    assertThat(ProcessMetrics.openFiles(List.of())).isEqualTo(-1);
  }

  @Test
  void aServerWithoutProcessesHasNoFigure() {
    try (ThreadPeak peak = ThreadPeak.start(List.of())) {
      assertThat(peak.before()).isEqualTo(-1);
      assertThat(peak.peak()).isEqualTo(-1);
    }
  }

  @Test
  void probesWhosePublishingEndedEarlySayWhy() {
    Map<String, Object> full = Map.of("publishSeconds", 2.9, "published", 900L);
    Map<String, Object> cut =
        Map.of("publishSeconds", 0.4, "published", 400L, "publishFailed", 28L);

    assertThat(Scenarios.shortProbes(List.of(full), 3)).isEmpty();
    assertThat(Scenarios.shortProbes(List.of(full, cut), 3))
        .isEqualTo(
            "a probe published for 0.40 s of 3.00 (400 publishes acknowledged, 28 failed): did the"
                + " server close the publisher's connections?");
  }

  @Test
  void eachSpringTargetHasItsOwnUrlPrefix() {
    assertThat(SpringTarget.prefix("spring-herald")).isEqualTo("/herald");
    assertThat(SpringTarget.prefix("spring-emitter")).isEqualTo("/emitter");
    assertThat(TargetServer.NAMED).containsAll(SpringTarget.NAMES);
    assertThat(TargetServer.ALL).doesNotContainAnyElementsOf(SpringTarget.NAMES);
  }
}
