package dev.herald.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.server.Cursor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a process that appends (SIGKILL) and checks that every acknowledged update survived. */
class SqliteCrashTest {
  @TempDir Path dir;

  @Test
  @Timeout(60)
  void everyAcknowledgedUpdateSurvivesKillNine() throws Exception {
    Path database = dir.resolve("crash.db");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AppendUntilKilled.class.getName(),
                database.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<Long, String> acknowledged = new HashMap<>();
    try (BufferedReader acks =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < 5_000 && (line = acks.readLine()) != null) {
        addAck(acknowledged, line);
      }
      assertThat(acknowledged).as("acknowledgements before the kill").hasSize(5_000);
      // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // What the child printed before it died; the kill may have cut the last line short.
      StringBuilder rest = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = acks.read(buffer)) >= 0; ) {
        rest.append(buffer, 0, n);
      }
      String complete = rest.substring(0, rest.lastIndexOf("\n") + 1);
      complete.lines().forEach(done -> addAck(acknowledged, done));
    } finally {
      child.destroyForcibly();
    }

    try (SqliteUpdateStore reopened = SqliteUpdateStore.builder().path(database).build()) {
      List<StoredUpdate> stored =
          reopened.read(Cursor.START, reopened.last(), Integer.MAX_VALUE).orElseThrow();
      Map<Long, String> idsBySequence = new HashMap<>();
      stored.forEach(s -> idsBySequence.put(s.cursor().major(), s.update().id()));
      assertThat(stored).extracting(s -> s.cursor().major()).isSorted().doesNotHaveDuplicates();
      assertThat(stored.get(0).cursor().major()).isEqualTo(1);
      assertThat(stored.get(stored.size() - 1).cursor().major()).isEqualTo(stored.size());
      assertThat(stored).extracting(s -> s.update().id()).doesNotHaveDuplicates();
      assertThat(idsBySequence).containsAllEntriesOf(acknowledged);
      Map<String, Long> lastIndexByThread = new HashMap<>();
      for (StoredUpdate update : stored) {
        String[] threadAndIndex = update.update().id().split("-");
        long index = Long.parseLong(threadAndIndex[1]);
        Long previous = lastIndexByThread.put(threadAndIndex[0], index);
        assertThat(index)
            .as("each appender's updates in its order")
            .isEqualTo(previous == null ? 0 : previous + 1);
      }
    }
  }

  private static void addAck(Map<Long, String> acknowledged, String line) {
    String[] parts = line.split(" ");
    acknowledged.put(Long.parseLong(parts[0]), parts[1]);
  }
}
