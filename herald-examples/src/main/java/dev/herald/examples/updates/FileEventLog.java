package dev.herald.examples.updates;

import dev.herald.core.SseEvent;
import dev.herald.server.Cursor;
import dev.herald.server.EventLog;
import dev.herald.server.LoggedEvent;
import dev.herald.server.RingEventLog;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RingEventLog} whose events are also appended to a text file, and read back from it when
 * the log is opened again: the updates demo's history outlives the server process, so a page can
 * resume across a restart.
 *
 * <p>One line per event: {@code id TAB epoch-millis TAB topics TAB type TAB data}, with backslash,
 * tab, CR and LF in the values escaped as {@code \\ \t \r \n}; topics are separated by commas and
 * may not contain one. A last line without its LF (cut short by a crash) and lines that do not
 * parse are skipped, and the file is then rewritten without them. Each line is flushed as it is
 * appended but not forced to the disk, so the history survives the process, not the machine. When
 * the file holds twice the ring's size it is rewritten with the events the ring holds. Events keep
 * their ID, topics, type, data and time; a {@code retry} or comment in them is not kept.
 *
 * <p>Thread-safe. {@link #append} writes to the file, on the publisher's thread, under the {@link
 * dev.herald.server.Broadcaster}'s lock: one short buffered write per event.
 */
final class FileEventLog implements EventLog<Void>, Closeable {
  private final Path file;
  private final int maxEvents;
  private final Clock clock;
  private final RingEventLog<Void> ring;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private Writer out;
  private int linesInFile;
  private String lastId;

  private FileEventLog(Path file, int maxEvents, Clock clock) {
    this.file = file;
    this.maxEvents = maxEvents;
    this.clock = clock;
    this.ring = RingEventLog.builder().maxEvents(maxEvents).clock(clock).build();
  }

  /** An event as a line of the file holds it. */
  private record Line(Set<String> topics, Instant appendedAt, SseEvent event) {}

  /**
   * Opens the log kept in {@code file}, creating the file and its directory if needed, holding at
   * most {@code maxEvents} events.
   *
   * @throws UncheckedIOException if the file cannot be read or written
   */
  static FileEventLog open(Path file, int maxEvents) {
    return open(file, maxEvents, Clock.systemUTC());
  }

  /** Opens the log kept in {@code file}, dating the events appended by {@code clock}. */
  static FileEventLog open(Path file, int maxEvents, Clock clock) {
    FileEventLog log = new FileEventLog(file, maxEvents, clock);
    try {
      log.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the event log " + file, e);
    }
    return log;
  }

  private void load() throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    boolean skipped = false;
    if (Files.exists(file)) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      String[] split = text.split("\n", -1);
      skipped = !split[split.length - 1].isEmpty(); // a last line without its LF
      for (String line : Arrays.asList(split).subList(0, split.length - 1)) {
        Line event = decode(line);
        if (event != null) {
          remember(line, ring.append(event.topics(), event.event(), null, event.appendedAt()));
          linesInFile++;
        } else {
          skipped = true;
        }
      }
    }
    if (skipped || linesInFile > maxEvents) {
      rewrite();
    } else {
      out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /**
   * Appends {@code event} to the file, then to the ring; an event without ID gets the ring's next
   * position as ID.
   *
   * @throws IllegalArgumentException if the event has no data or a topic contains a comma
   * @throws UncheckedIOException if the file cannot be written; the event is then not appended
   */
  @Override
  public synchronized LoggedEvent<Void> append(Set<String> topics, SseEvent event, Void payload) {
    if (out == null) {
      throw new IllegalStateException("the event log " + file + " is closed");
    }
    Instant at = clock.instant();
    SseEvent withId = // the ID the ring would give it: its positions count 1, 2, ...
        event.id() != null
            ? event
            : event.toBuilder().id(Long.toString(ring.last().major() + 1)).build();
    String line = encode(topics, at, withId);
    try {
      out.write(line);
      out.write('\n');
      out.flush();
      linesInFile++;
      LoggedEvent<Void> logged = ring.append(topics, withId, null, at);
      remember(line, logged);
      if (linesInFile > 2 * maxEvents) {
        rewrite();
      }
      return logged;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the event log " + file, e);
    }
  }

  @Override
  public synchronized Cursor last() {
    return ring.last();
  }

  @Override
  public synchronized Optional<Cursor> positionOf(String id) {
    return ring.positionOf(id);
  }

  @Override
  public synchronized Optional<List<LoggedEvent<Void>>> read(
      Cursor after, int maxEvents, long maxBytes) {
    return ring.read(after, maxEvents, maxBytes);
  }

  /** The ID of the latest event, or {@code null} if the log has none. */
  synchronized String lastEventId() {
    return lastId;
  }

  /** The number of events held. */
  synchronized int size() {
    return ring.size();
  }

  @Override
  public synchronized void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the event log " + file, e);
    } finally {
      out = null;
    }
  }

  private void remember(String line, LoggedEvent<Void> event) {
    lines.addLast(line);
    if (lines.size() > maxEvents) {
      lines.removeFirst();
    }
    lastId = event.event().id();
  }

  /** Replaces the file with the lines of the events the ring holds. */
  private void rewrite() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temporary, lines, StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    linesInFile = lines.size();
    out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String encode(Set<String> topics, Instant appendedAt, SseEvent event) {
    if (event.data() == null) {
      throw new IllegalArgumentException("the log keeps events with data only: " + event);
    }
    for (String topic : topics) {
      if (topic.indexOf(',') >= 0) {
        throw new IllegalArgumentException("a topic with a comma cannot be logged: " + topic);
      }
    }
    return String.join(
        "\t",
        escape(event.id()),
        Long.toString(appendedAt.toEpochMilli()),
        escape(String.join(",", topics)),
        escape(event.type() == null ? "" : event.type()),
        escape(event.data()));
  }

  /** The event of {@code line}, or {@code null} if the line does not parse. */
  private static Line decode(String line) {
    String[] fields = line.split("\t", -1);
    if (fields.length != 5 || fields[0].isEmpty()) {
      return null;
    }
    try {
      Instant at = Instant.ofEpochMilli(Long.parseLong(fields[1]));
      Set<String> topics = new LinkedHashSet<>(Arrays.asList(unescape(fields[2]).split(",")));
      SseEvent.Builder event = SseEvent.builder().id(unescape(fields[0]));
      if (!fields[3].isEmpty()) {
        event.type(unescape(fields[3]));
      }
      return new Line(topics, at, event.data(unescape(fields[4])).build());
    } catch (IllegalArgumentException e) { // a bad number, escape, ID or type
      return null;
    }
  }

  static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\':
          b.append("\\\\");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        default:
          b.append(c);
      }
    }
    return b.toString();
  }

  static String unescape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i == value.length()) {
        throw new IllegalArgumentException("a lone backslash ends " + value);
      }
      char escaped = value.charAt(i);
      switch (escaped) {
        case '\\':
          b.append('\\');
          break;
        case 't':
          b.append('\t');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        default:
          throw new IllegalArgumentException("unknown escape \\" + escaped + " in " + value);
      }
    }
    return b.toString();
  }
}
