package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event value: shortcuts, builder, and the checks that make it injection-proof. */
class SseEventTest {

  @Test
  @DisplayName("shortcuts set the fields they name and nothing else")
  void shortcuts() {
    assertThat(SseEvent.of("d")).isEqualTo(SseEvent.builder().data("d").build());
    SseEvent typed = SseEvent.of("add", "1");
    assertThat(typed.type()).isEqualTo("add");
    assertThat(typed.data()).isEqualTo("1");
    assertThat(typed.id()).isNull();
    assertThat(typed.retry()).isNull();
    assertThat(typed.comment()).isNull();
    assertThat(SseEvent.ofComment("hb").comment()).isEqualTo("hb");
  }

  @Test
  @DisplayName("toBuilder copies every field; equal values are equal")
  void toBuilder() {
    SseEvent full =
        SseEvent.builder()
            .type("t")
            .data("d")
            .id("i")
            .retry(Duration.ofMillis(5))
            .comment("c")
            .build();
    assertThat(full.toBuilder().build()).isEqualTo(full).hasSameHashCodeAs(full);
    assertThat(full.toBuilder().id("j").build()).isNotEqualTo(full);
    assertThat(full.toString()).contains("type='t'", "id='i'", "retry='5ms'", "data='d'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "\r\n", "x\n"})
  @DisplayName("S-62 CR or LF in event is rejected, naming the field")
  void typeWithLineBreak(String type) {
    assertThatThrownBy(() -> SseEvent.builder().type(type))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event must not contain CR or LF");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1\n", "1\r2", "\r\n"})
  @DisplayName("S-62 CR or LF in id is rejected, naming the field")
  void idWithLineBreak(String id) {
    assertThatThrownBy(() -> SseEvent.builder().id(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("id must not contain CR or LF");
  }

  @Test
  @DisplayName("S-22 NUL in id is rejected, naming the field")
  void idWithNul() {
    assertThatThrownBy(() -> SseEvent.builder().id("1\u00002"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("id must not contain NUL");
    assertThatThrownBy(() -> SseParser.builder().lastEventId("a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id must not contain");
  }

  @Test
  @DisplayName("S-66 an empty id can be expressed")
  void resetId() {
    assertThat(SseEvent.builder().resetId().build().id()).isEmpty();
    assertThat(SseEvent.of("x").id()).isNull();
  }

  @Test
  @DisplayName("a negative retry is rejected")
  void negativeRetry() {
    assertThatThrownBy(() -> SseEvent.builder().retry(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry must not be negative");
  }

  @Test
  @DisplayName("NUL, colons and other characters are fine in data, event and comment")
  void otherCharactersAllowed() {
    SseEvent event =
        SseEvent.builder().type("a:b\u0000").data("\u0000:").comment(":\u0000").build();
    assertThat(Streams.parse(SseWriter.encode(event)).only())
        .isEqualTo(Streams.event("a:b\u0000", "\u0000:", ""));
  }
}
