package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow readers are cut off; fast ones get everything, with bounded memory: while a publisher pushes
 * 32 MB through a hub process, readers that read as fast as they can receive every update in order;
 * readers that stopped reading (a small receive buffer, never read) are cut off as slow consumers;
 * readers that read 32 KiB every 100 ms are cut off too (or keep up) and, resuming with their last
 * event ID, miss nothing. The hub's heap and resident memory are measured before, at the peak and
 * after a full collection.
 */
class SlowReaderTest {
  private static final String TOPIC = "slow-readers";
  private static final int UPDATES = 320;
  private static final int UPDATE_BYTES = 100 * 1024;
  private static final int FAST = 4;
  private static final int SLOW = 2;
  private static final int STOPPED = 2;
  private static final long MIB = 1024 * 1024;
  private static final long XMX = 256 * MIB; // HubProcess's -Xmx256m

  @TempDir Path dir;
  private HubProcess hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @DisplayName("32 MB pushed: 4 fast readers get all; 2 stopped cut off; 2 slow resume, no loss")
  void slowAndStoppedReadersBesideFastOnes() throws Exception {
    hub =
        HubProcess.builder(dir)
            .option("--sqlite=" + dir.resolve("herald.db"))
            .option("--sqlite-synchronous=NORMAL")
            .option("--history-window=20") // the heap measured is not the history's
            .option("--anonymous-publishers")
            .option("--anonymous-subscribers")
            .start();
    Publisher publisher = new Publisher(hub);
    publisher.publish(TOPIC, "start", "start");
    hub.gc();
    long heapBefore = hub.heapUsedBytes();
    long rssBefore = hub.rssBytes();
    AtomicLong rssPeak = new AtomicLong(rssBefore);
    Thread sampler = new Thread(() -> sampleRss(rssPeak), "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();

    String request = SseReaders.subscribeRequest(hub.port(), "match=" + TOPIC, "start");
    List<Socket> stopped = new ArrayList<>();
    List<SlowReader> slow = new ArrayList<>();
    long heapPeak;
    try (SseReaders fast = SseReaders.open(hub.port(), request, FAST, 1, 1, List.of())) {
      for (int i = 0; i < STOPPED; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", hub.port()));
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        stopped.add(s);
      }
      for (int i = 0; i < SLOW; i++) {
        SlowReader r = new SlowReader(hub.port(), request);
        r.start();
        slow.add(r);
      }
      String data = "x".repeat(UPDATE_BYTES);
      long started = System.nanoTime();
      for (int i = 0; i < UPDATES; i++) {
        publisher.publish(TOPIC, 0, i, data);
      }
      heapPeak = hub.heapUsedBytes();
      publisher.publish(TOPIC, IdTally.END, 1, "end");
      double pushSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(fast.await(Duration.ofSeconds(60))).as("fast readers reached the end").isTrue();
      Map<Integer, int[]> expected =
          Map.of(0, new int[] {0, UPDATES}, IdTally.END, new int[] {1, 2});
      for (SseReaders.Reader r : fast.readers()) {
        assertThat(r.closedByHub).as("a fast reader cut off").isFalse();
        assertTally(r.tally, expected);
      }
      int stoppedClosed = 0;
      for (Socket s : stopped) {
        stoppedClosed += endsWithin(s, Duration.ofSeconds(30)) ? 1 : 0;
      }
      int slowCutOff = 0;
      double slowSeconds = 0;
      for (SlowReader r : slow) {
        r.join(60_000);
        assertThat(r.isAlive()).as("a slow reader finished").isFalse();
        assertThat(r.failure).isNull();
        assertTally(r.tally, expected);
        slowCutOff += r.cutOff ? 1 : 0;
        slowSeconds = Math.max(slowSeconds, (r.finishedNanos - started) / 1e9);
      }
      long slowTotal = publisher.metric("herald_streams_slow_total");
      for (Socket s : stopped) {
        s.close();
      }
      sampler.interrupt();
      sampler.join();
      hub.gc();
      long heapAfter = hub.heapUsedBytes();
      long rssAfter = hub.rssBytes();
      Figures.print(
          "slow-readers",
          "%.0f MB pushed in %.1f s (%d x %,d B); %d fast readers got all %d, in order, 0 lost; %d"
              + " of %d stopped readers cut off; %d of %d slow readers cut off and resumed with"
              + " their Last-Event-ID, 0 lost, 0 duplicated, all done %.1f s after the push began; herald_streams_slow_total %d; hub heap"
              + " used %.0f MiB before, %.0f MiB during, %.0f MiB after a full GC; RSS %.0f MiB"
              + " before, %.0f MiB peak, %.0f MiB after (-Xmx256m)",
          UPDATES * (double) UPDATE_BYTES / 1e6,
          pushSeconds,
          UPDATES,
          UPDATE_BYTES,
          FAST,
          UPDATES,
          stoppedClosed,
          STOPPED,
          slowCutOff,
          SLOW,
          slowSeconds,
          slowTotal,
          heapBefore / (double) MIB,
          heapPeak / (double) MIB,
          heapAfter / (double) MIB,
          rssBefore / (double) MIB,
          rssPeak.get() / (double) MIB,
          rssAfter / (double) MIB);
      assertThat(stoppedClosed).as("stopped readers cut off").isEqualTo(STOPPED);
      assertThat(slowTotal).as("herald_streams_slow_total").isGreaterThanOrEqualTo(STOPPED);
      // Room for what stays on purpose: the 20-update window (2 MB, a few copies) and the cache
      // of catch-up pages (HistoryPages.CACHE_BYTES, 32 MiB of encoded events, which also keep
      // their decoded events: about twice that).
      assertThat(heapAfter).as("heap after a full GC").isLessThan(heapBefore + 96 * MIB);
      assertThat(rssPeak.get()).as("resident memory at the peak").isLessThan(XMX + 256 * MIB);
      assertThat(hub.output()).doesNotContain("LEAK:").doesNotContain("Exception in thread");
    }
  }

  private static void assertTally(IdTally t, Map<Integer, int[]> expected) {
    assertThat(t.endSeen()).as("reached the end").isTrue();
    assertThat(new long[] {t.lost(expected), t.duplicates(), t.reordered(), t.foreign(expected)})
        .as("lost, duplicated, reordered, foreign")
        .containsExactly(0, 0, 0, 0);
  }

  /** Whether the hub closes {@code socket}'s stream within {@code timeout}, reading what came. */
  private static boolean endsWithin(Socket socket, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    socket.setSoTimeout(1000);
    byte[] buffer = new byte[65536];
    InputStream in = socket.getInputStream();
    while (System.nanoTime() < deadline) {
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        // keep waiting
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  private void sampleRss(AtomicLong peak) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(hub.rssBytes(), Math::max);
        Thread.sleep(50);
      }
    } catch (InterruptedException | IOException done) {
      // the test is over
    }
  }

  /**
   * Reads 32 KiB every 100 ms (a 16 KiB receive buffer); if the hub ends its stream, resumes with
   * the last event ID it received and then reads at full speed, until the end update.
   */
  private static final class SlowReader extends Thread {
    final IdTally tally = new IdTally(1);
    final int port;
    final String request;
    volatile boolean cutOff;
    volatile long finishedNanos;
    volatile Throwable failure;

    SlowReader(int port, String request) {
      super("slow-reader");
      setDaemon(true);
      this.port = port;
      this.request = request;
    }

    @Override
    public void run() {
      try {
        String last = read(request, true);
        if (!tally.endSeen()) {
          cutOff = true;
          read(SseReaders.subscribeRequest(port, "match=" + TOPIC, last), false);
        }
      } catch (Throwable e) {
        failure = e;
      }
      finishedNanos = System.nanoTime();
    }

    /** Reads one stream until the end update or its end; returns the last event ID. */
    private String read(String subscribe, boolean slowly) throws Exception {
      SseIdScanner scanner = new SseIdScanner(tally);
      try (Socket s = new Socket()) {
        if (slowly) {
          s.setReceiveBufferSize(16 * 1024);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(30_000);
        s.getOutputStream().write(subscribe.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[slowly ? 32 * 1024 : 64 * 1024];
        while (!tally.endSeen()) {
          int n;
          try {
            n = in.read(buffer);
          } catch (IOException reset) {
            break;
          }
          if (n < 0) {
            break;
          }
          scanner.feed(buffer, 0, n);
          if (slowly) {
            Thread.sleep(100);
          }
        }
      }
      return scanner.lastId();
    }
  }
}
