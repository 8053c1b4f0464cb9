package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Feeds one stream to fresh parsers in every chunking the spec tests demand: whole, in 1-, 2- and
 * 3-byte chunks, and at seeded random splits; and, for {@link #parseEveryLineEnding}, with each of
 * LF, CR and CRLF as the line break. Every way must give the same result, which is returned.
 */
final class Streams {
  static final int RANDOM_SPLITS = 20;

  private Streams() {}

  /** What a parser reported for a whole stream, ended with {@link SseParser#end()}. */
  record Result(
      List<SseEvent> events, List<Long> retries, List<String> comments, String lastEventId) {

    SseEvent only() {
      assertThat(events).hasSize(1);
      return events.get(0);
    }

    List<String> data() {
      return events.stream().map(SseEvent::data).toList();
    }
  }

  /** Parses {@code stream} (UTF-8) in every chunking; all must agree. */
  static Result parse(String stream) {
    return parse(stream.getBytes(StandardCharsets.UTF_8));
  }

  static Result parse(byte[] stream) {
    return parse(stream, () -> SseParser.builder());
  }

  static Result parse(byte[] stream, Supplier<SseParser.Builder> parsers) {
    Result whole = feed(stream, parsers, List.of(stream.length));
    for (int size = 1; size <= 3; size++) {
      assertThat(feed(stream, parsers, fixed(stream.length, size)))
          .as("%d-byte chunks", size)
          .isEqualTo(whole);
    }
    Random random = new Random(stream.length * 31L + 7);
    for (int i = 0; i < RANDOM_SPLITS; i++) {
      List<Integer> sizes = randomSplits(stream.length, random);
      assertThat(feed(stream, parsers, sizes)).as("chunks %s", sizes).isEqualTo(whole);
    }
    return whole;
  }

  /**
   * Parses {@code lfStream} with each LF replaced in turn by LF, CR and CRLF; every variant in
   * every chunking must give the same result (data lines are always joined by LF, S-21).
   */
  static Result parseEveryLineEnding(String lfStream) {
    Result lf = parse(lfStream);
    assertThat(parse(lfStream.replace("\n", "\r"))).as("CR line breaks").isEqualTo(lf);
    assertThat(parse(lfStream.replace("\n", "\r\n"))).as("CRLF line breaks").isEqualTo(lf);
    return lf;
  }

  static Result feed(byte[] stream, Supplier<SseParser.Builder> parsers, List<Integer> sizes) {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = parsers.get().build(recorder);
    int offset = 0;
    for (int size : sizes) {
      parser.feed(stream, offset, size);
      offset += size;
    }
    assertThat(offset).isEqualTo(stream.length);
    parser.end();
    return new Result(
        List.copyOf(recorder.events),
        List.copyOf(recorder.retries),
        List.copyOf(recorder.comments),
        parser.lastEventId());
  }

  static List<Integer> fixed(int length, int size) {
    List<Integer> sizes = new ArrayList<>();
    for (int left = length; left > 0; left -= size) {
      sizes.add(Math.min(size, left));
    }
    return sizes;
  }

  static List<Integer> randomSplits(int length, Random random) {
    List<Integer> sizes = new ArrayList<>();
    for (int left = length; left > 0; ) {
      int size = Math.min(left, random.nextInt(random.nextBoolean() ? 4 : 64) + 1);
      if (random.nextInt(8) == 0) {
        sizes.add(0); // empty feeds must change nothing
      }
      sizes.add(size);
      left -= size;
    }
    return sizes;
  }

  static byte[] bytes(int... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int v : values) {
      out.write(v);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static SseEvent event(String type, String data, String lastEventId) {
    return SseEvent.dispatched(type, data, lastEventId);
  }

  static SseEvent message(String data) {
    return event("message", data, "");
  }
}
