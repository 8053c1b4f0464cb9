package dev.herald.examples.updates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.examples.Poll;
import dev.herald.server.Cursor;
import dev.herald.server.LoggedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The updates demo's history file: what goes in comes back after a reopen, exactly. */
class FileEventLogTest {
  @TempDir Path dir;

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000L), ZoneOffset.UTC);

  private static void append(FileEventLog log, String id, String type, String data) {
    SseEvent.Builder event = SseEvent.builder().id(id).data(data);
    if (type != null) {
      event.type(type);
    }
    log.append(Set.of("t"), event.build(), null);
  }

  private static List<String> idsAfter(FileEventLog log, String id) {
    return log.after(id).orElseThrow().stream()
        .map(e -> e.event().id())
        .collect(Collectors.toList());
  }

  @Test
  @DisplayName("events come back after a reopen: IDs, types, data with tabs, CR, LF, backslashes")
  void reopenRestoresEvents() {
    Path file = dir.resolve("sub/updates.log");
    try (FileEventLog log = FileEventLog.open(file, 10, CLOCK)) {
      append(log, "1", "update", "plain");
      append(log, "2", null, "a\tb\nc\rd\\n\\");
      append(log, "3", "update", "");
    }
    try (FileEventLog log = FileEventLog.open(file, 10, CLOCK)) {
      assertThat(log.lastEventId()).isEqualTo("3");
      List<LoggedEvent<Void>> later = log.after("1").orElseThrow();
      assertThat(later)
          .extracting(LoggedEvent::position)
          .containsExactly(Cursor.of(2), Cursor.of(3));
      assertThat(later.get(0).event())
          .isEqualTo(SseEvent.builder().id("2").data("a\tb\nc\rd\\n\\").build());
      assertThat(later.get(0).appendedAt()).isEqualTo(Instant.ofEpochMilli(1_000L));
      assertThat(later.get(0).topics()).containsExactly("t");
      assertThat(later.get(1).event())
          .isEqualTo(SseEvent.builder().type("update").id("3").data("").build());
      append(log, "4", "update", "more");
      assertThat(idsAfter(log, "2")).containsExactly("3", "4");
    }
  }

  @Test
  @DisplayName("a last line cut short and a garbled line are skipped, and the file is repaired")
  void cutShortLinesAreSkipped() throws Exception {
    Path file = dir.resolve("updates.log");
    try (FileEventLog log = FileEventLog.open(file, 10, CLOCK)) {
      append(log, "1", "update", "one");
      append(log, "2", "update", "two");
    }
    String good = Files.readString(file);
    Files.writeString(file, good + "garbage\n3\t1000\tt\tupdate\tthr", StandardCharsets.UTF_8);
    try (FileEventLog log = FileEventLog.open(file, 10, CLOCK)) {
      assertThat(log.lastEventId()).isEqualTo("2");
      assertThat(log.size()).isEqualTo(2);
      append(log, "3", "update", "three");
    }
    assertThat(Files.readString(file)).isEqualTo(good + "3\t1000\tt\tupdate\tthree\n");
  }

  @Test
  @DisplayName("the file is rewritten with the ring's events once it holds twice as many")
  void compacts() throws Exception {
    Path file = dir.resolve("updates.log");
    try (FileEventLog log = FileEventLog.open(file, 3, CLOCK)) {
      for (int i = 1; i <= 7; i++) {
        append(log, Integer.toString(i), "update", "n" + i);
      }
      assertThat(Files.readAllLines(file)).hasSize(3);
      assertThat(log.after("3")).isEmpty(); // evicted from the ring
      assertThat(idsAfter(log, "5")).containsExactly("6", "7");
    }
    try (FileEventLog log = FileEventLog.open(file, 3, CLOCK)) {
      assertThat(log.lastEventId()).isEqualTo("7");
      assertThat(idsAfter(log, "5")).containsExactly("6", "7");
    }
  }

  @Test
  @DisplayName("an UpdatesDemo over the same directory carries the numbering on")
  void demoNumberingSurvivesARestart() throws Exception {
    UpdatesDemo first =
        new UpdatesDemo(dir, java.time.Duration.ofMillis(5), java.time.Clock.systemUTC());
    first.mount(dev.herald.server.HeraldServer.builder());
    Poll.until("three updates", () -> first.lastSequence() >= 3);
    first.close();
    long last = first.lastSequence();
    assertThat(last).isGreaterThanOrEqualTo(3);
    UpdatesDemo second = new UpdatesDemo(dir);
    try {
      assertThat(second.lastSequence()).isEqualTo(last);
    } finally {
      second.close();
    }
  }
}
