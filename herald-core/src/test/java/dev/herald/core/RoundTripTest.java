package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** Whatever the writer emits parses back to the same events, in any chunking. */
class RoundTripTest {
  private static final String ALPHABET =
      "ab :\u0000\t\u00e9\u20ac\uD83D\uDE00\uD800\uDC00\uFEFF\u2028data:id:event: retry:";
  private static final String BREAKS = "\n\r";

  @RepeatedTest(30)
  @DisplayName("a random sequence of events round-trips through writer and parser")
  void randomSequence(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    List<SseEvent> written = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = random.nextInt(20) + 1; i > 0; i--) {
      SseEvent event = randomEvent(random);
      written.add(event);
      wire.writeBytes(SseWriter.encode(event));
    }
    Streams.Result result = Streams.parse(wire.toByteArray());
    assertThat(result.events()).isEqualTo(RoundTrip.expectedEvents(written));
    assertThat(result.retries()).isEqualTo(RoundTrip.expectedRetries(written));
  }

  static SseEvent randomEvent(Random random) {
    SseEvent.Builder b = SseEvent.builder();
    if (random.nextInt(3) == 0) {
      b.type(randomText(random, ""));
    }
    if (random.nextInt(3) == 0) {
      b.id(randomText(random, "").replace("\u0000", ""));
    }
    if (random.nextInt(5) == 0) {
      b.retry(Duration.ofMillis(random.nextInt(100_000)));
    }
    if (random.nextInt(5) == 0) {
      b.comment(randomText(random, BREAKS));
    }
    if (random.nextInt(6) != 0) {
      b.data(randomText(random, BREAKS));
    }
    return b.build();
  }

  private static String randomText(Random random, String breaks) {
    StringBuilder s = new StringBuilder();
    String alphabet = ALPHABET + breaks + breaks + breaks;
    for (int n = random.nextInt(24); n > 0; n--) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
