package dev.herald.bench.jmh;

import dev.herald.core.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The inputs of the wire-format benchmarks: about {@value #TARGET_BYTES} bytes of {@code
 * text/event-stream} made of events of one shape, each with only {@code data} lines of random ASCII
 * letters and digits. The same seed gives the same bytes in every fork and every parser.
 *
 * <p>The stream is written here by hand ({@code data: <line>\n} per line, then a blank line), not
 * by {@code SseWriter}, so that the parsers' input does not depend on the writer under test.
 */
public enum Shape {
  /** Many small events: one data line of 64 bytes each. */
  SMALL(1, 64),
  /** Large events: one data line of 64 KiB each. */
  LARGE(1, 64 * 1024),
  /** Multi-line events: eight data lines of 64 bytes each. */
  MULTILINE(8, 64);

  /** The approximate size of one stream, in bytes: one benchmark operation parses or writes it. */
  public static final int TARGET_BYTES = 1 << 20;

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final long SEED = 0x5EEDL;

  private final int linesPerEvent;
  private final int lineBytes;

  Shape(int linesPerEvent, int lineBytes) {
    this.linesPerEvent = linesPerEvent;
    this.lineBytes = lineBytes;
  }

  /** A short description for reports, such as {@code "small: 1 × 64 B data line"}. */
  public String label() {
    String size = lineBytes % 1024 == 0 ? lineBytes / 1024 + " KiB" : lineBytes + " B";
    String lines = linesPerEvent == 1 ? " data line" : " data lines";
    return name().toLowerCase(Locale.ROOT) + ": " + linesPerEvent + " × " + size + lines;
  }

  /** The number of events in one stream. */
  public int eventCount() {
    return Math.max(1, TARGET_BYTES / encodedEventBytes());
  }

  /** The size of one stream in bytes. */
  public long streamBytes() {
    return (long) eventCount() * encodedEventBytes();
  }

  /** The bytes of one encoded event: {@code "data: "}, the line and LF per line, then LF. */
  public int encodedEventBytes() {
    return linesPerEvent * ("data: ".length() + lineBytes + 1) + 1;
  }

  /** The data of every event of the stream, in order, lines joined with LF. */
  public List<String> data() {
    SplittableRandom random = new SplittableRandom(SEED + ordinal());
    List<String> data = new ArrayList<>(eventCount());
    StringBuilder sb = new StringBuilder(linesPerEvent * (lineBytes + 1));
    for (int e = 0; e < eventCount(); e++) {
      sb.setLength(0);
      for (int l = 0; l < linesPerEvent; l++) {
        if (l > 0) {
          sb.append('\n');
        }
        for (int i = 0; i < lineBytes; i++) {
          sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
      }
      data.add(sb.toString());
    }
    return data;
  }

  /** The events of the stream, as values for the writer. */
  public List<SseEvent> events() {
    return data().stream().map(SseEvent::of).toList();
  }

  /** The whole stream as bytes. */
  public byte[] stream() {
    StringBuilder sb = new StringBuilder((int) streamBytes());
    for (String d : data()) {
      for (String line : d.split("\n", -1)) {
        sb.append("data: ").append(line).append('\n');
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
