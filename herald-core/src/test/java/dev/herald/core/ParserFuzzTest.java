package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fuzz tests. {@code ./mvnw verify} replays the inputs under {@code
 * src/test/resources/dev/herald/core/ParserFuzzTestInputs}; to fuzz for real, see docs/fuzzing.md:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl herald-core test -Dtest=ParserFuzzTest}.
 */
class ParserFuzzTest {

  /**
   * Any bytes, in any chunking: the parser throws nothing but its limit exception, and every
   * chunking reports the same events, retries, last event ID and failure as feeding it whole.
   */
  @FuzzTest(maxDuration = "60s")
  void anyBytesAnyChunking(FuzzedDataProvider data) {
    int maxLine = data.consumeInt(1, 512);
    int maxEvent = data.consumeInt(1, 2048);
    long seed = data.consumeLong();
    byte[] stream = data.consumeRemainingAsBytes();
    Outcome whole = feed(stream, maxLine, maxEvent, List.of(stream.length));
    List<Integer> sizes = Streams.randomSplits(stream.length, new java.util.Random(seed));
    assertThat(feed(stream, maxLine, maxEvent, sizes)).isEqualTo(whole);
    assertThat(feed(stream, maxLine, maxEvent, Streams.fixed(stream.length, 1))).isEqualTo(whole);
  }

  /** Any event the builder accepts is written so that it parses back to itself. */
  @FuzzTest(maxDuration = "60s")
  void writtenEventsParseBack(FuzzedDataProvider data) {
    List<SseEvent> written = new ArrayList<>();
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    for (int i = data.consumeInt(1, 4); i > 0 && data.remainingBytes() > 0; i--) {
      SseEvent event;
      try {
        SseEvent.Builder b = SseEvent.builder();
        if (data.consumeBoolean()) {
          b.type(data.consumeString(40));
        }
        if (data.consumeBoolean()) {
          b.id(data.consumeString(40));
        }
        if (data.consumeBoolean()) {
          b.retry(java.time.Duration.ofMillis(data.consumeLong(0, Long.MAX_VALUE)));
        }
        if (data.consumeBoolean()) {
          b.comment(data.consumeString(40));
        }
        if (data.consumeBoolean()) {
          b.data(data.consumeString(200));
        }
        event = b.build();
      } catch (IllegalArgumentException rejected) {
        continue; // CR/LF in id or event, NUL in id: refused at build time, as documented
      }
      written.add(event);
      wire.writeBytes(SseWriter.encode(event));
    }
    Streams.Result result = Streams.parse(wire.toByteArray());
    assertThat(result.events()).isEqualTo(RoundTrip.expectedEvents(written));
    assertThat(result.retries()).isEqualTo(RoundTrip.expectedRetries(written));
  }

  private record Outcome(List<String> log, String lastEventId, String failure) {}

  private static Outcome feed(byte[] stream, int maxLine, int maxEvent, List<Integer> sizes) {
    RecordingListener recorder = new RecordingListener();
    SseParser parser =
        SseParser.builder().maxLineBytes(maxLine).maxEventBytes(maxEvent).build(recorder);
    String failure = null;
    try {
      int offset = 0;
      for (int size : sizes) {
        parser.feed(stream, offset, size);
        offset += size;
      }
      parser.end();
    } catch (SseLimitExceededException e) {
      failure = Objects.requireNonNull(e.limitName());
    }
    return new Outcome(List.copyOf(recorder.log), parser.lastEventId(), failure);
  }
}
