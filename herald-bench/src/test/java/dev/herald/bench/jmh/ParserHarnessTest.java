package dev.herald.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every harness reads the same events from the same stream, so their figures compare. */
class ParserHarnessTest {
  @ParameterizedTest
  @EnumSource(Shape.class)
  void everyParserReadsEveryEventWithItsData(Shape shape) throws IOException {
    byte[] stream = shape.stream();
    List<String> expected = shape.data();
    for (ParserHarness harness : ParserHarness.values()) {
      List<String> data = new ArrayList<>();
      int count = harness.parse(stream, data::add);
      assertThat(count).as(harness + " count").isEqualTo(shape.eventCount());
      assertThat(data).as(harness + " data").isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void streamHasTheAdvertisedSize(Shape shape) {
    assertThat(shape.stream()).hasSize(Math.toIntExact(shape.streamBytes()));
    assertThat(shape.streamBytes())
        .isBetween(Shape.TARGET_BYTES * 9L / 10, (long) Shape.TARGET_BYTES);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void writerEncodesTheEventsToTheSameStream(Shape shape) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (SseEvent event : shape.events()) {
      assertThat(SseWriter.encodedLength(event)).isEqualTo(shape.encodedEventBytes());
      out.writeBytes(SseWriter.encode(event));
    }
    assertThat(out.toByteArray()).isEqualTo(shape.stream());
  }
}
