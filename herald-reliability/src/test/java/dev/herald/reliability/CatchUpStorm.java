package dev.herald.reliability;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * By hand, not in CI: many subscribers catching up at once, or one catching up a large backlog,
 * against a hub process on SQLite (the longer runs of docs/reliability.md). Publishes the backlog
 * as {@code 0-0} to {@code 0-N}, then {@code END-1}; opens every subscriber with {@code
 * Last-Event-ID: marker} over NIO and reports completed, incomplete, lost, duplicated, reordered
 * and the time.
 *
 * <pre>
 * java -cp ... dev.herald.reliability.CatchUpStorm clients=15000 updates=2000 bytes=1024 threads=2
 *     locals=4 hubHeap=1g timeout=600
 * </pre>
 *
 * {@code locals=K} binds the client sockets to 127.0.0.2 to 127.0.0.K+1 in turn (more source
 * ports).
 */
final class CatchUpStorm {
  private CatchUpStorm() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    int clients = Integer.parseInt(a.getOrDefault("clients", "1"));
    int updates = Integer.parseInt(a.getOrDefault("updates", "200"));
    int bytes = Integer.parseInt(a.getOrDefault("bytes", "524288"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
    int locals = Integer.parseInt(a.getOrDefault("locals", "0"));
    Duration timeout = Duration.ofSeconds(Long.parseLong(a.getOrDefault("timeout", "600")));
    Path dir = Files.createTempDirectory("catch-up-storm");
    try (HubProcess hub =
        HubProcess.builder(dir)
            .option("--sqlite=" + dir.resolve("herald.db"))
            .option("--sqlite-synchronous=NORMAL")
            .option("--history-window=1000")
            .option("--anonymous-publishers")
            .option("--anonymous-subscribers")
            .jvmOption("-Xmx" + a.getOrDefault("hubHeap", "256m"))
            .jvmOption("-Dio.netty.leakDetection.level=" + a.getOrDefault("leaks", "simple"))
            .start()) {
      Publisher publisher = new Publisher(hub);
      String topic = "storm";
      String data = "x".repeat(bytes);
      long t0 = System.nanoTime();
      publisher.publish(topic, "marker", "marker");
      for (int i = 0; i < updates; i++) {
        publisher.publish(topic, 0, i, data);
      }
      publisher.publish(topic, IdTally.END, 1, "end");
      System.out.printf(
          "published %,d x %,d B = %.1f MB in %.1f s%n",
          updates, bytes, updates * (double) bytes / 1e6, (System.nanoTime() - t0) / 1e9);
      List<InetAddress> addresses = new ArrayList<>();
      for (int k = 0; k < locals; k++) {
        addresses.add(InetAddress.getByName("127.0.0." + (k + 2)));
      }
      String request = SseReaders.subscribeRequest(hub.port(), "match=" + topic, "marker");
      long started = System.nanoTime();
      try (SseReaders readers =
          SseReaders.open(hub.port(), request, clients, threads, 1, addresses)) {
        boolean all = readers.await(timeout);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<Integer, int[]> expected =
            Map.of(0, new int[] {0, updates}, IdTally.END, new int[] {1, 2});
        int completed = 0;
        int refused = 0;
        long lost = 0;
        long duplicates = 0;
        long reordered = 0;
        long bodyBytes = 0;
        Set<Long> sequences = new HashSet<>();
        for (SseReaders.Reader r : readers.readers()) {
          completed += r.tally.endSeen() ? 1 : 0;
          refused += r.scanner.status() != 200 ? 1 : 0;
          lost += r.tally.lost(expected);
          duplicates += r.tally.duplicates();
          reordered += r.tally.reordered();
          bodyBytes += r.scanner.bodyBytes();
          if (r.tally.endSeen()) {
            sequences.add(r.tally.sequenceHash());
          }
        }
        Figures.print(
            "catch-up-storm",
            "%,d subscribers resuming at once over %.1f MB (%,d x %,d B) from SQLite: %,d"
                + " completed, %,d incomplete (%,d not answered 200), %,d lost, %,d duplicated,"
                + " %,d reordered, %d distinct sequence(s); %.1f s%s, %,.0f MB delivered, %,.0f MB/s",
            clients,
            updates * (double) bytes / 1e6,
            updates,
            bytes,
            completed,
            clients - completed,
            refused,
            lost,
            duplicates,
            reordered,
            sequences.size(),
            seconds,
            all ? "" : " (timed out)",
            bodyBytes / 1e6,
            bodyBytes / 1e6 / seconds);
        System.out.println(
            "hub slow-consumer cut-offs: " + publisher.metric("herald_streams_slow_total"));
      }
    }
  }
}
