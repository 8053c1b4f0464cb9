package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The settings' defaults, checks and redaction; no Redis needed. */
class RedisSettingsTest {
  @Test
  @DisplayName("only the URI is required; the defaults are those documented")
  void defaults() {
    RedisSettings s = RedisSettings.builder().uri("redis://127.0.0.1:6379").build();
    assertThat(s.streamKey()).isEqualTo("herald:updates");
    assertThat(s.maxLength()).isEqualTo(1_000_000);
    assertThat(s.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(s.waitReplicas()).isZero();
    assertThat(s.waitTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.nodeName()).isNull();
    assertThat(s.toBuilder().build().toString()).isEqualTo(s.toString());
    assertThatThrownBy(() -> RedisSettings.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("URI is required");
  }

  @Test
  @DisplayName("the password never shows: every URI form Lettuce takes, @ in the password too")
  void redaction() {
    String[][] cases = {
      {"redis://:secret@h:6379/2", "redis://***@h:6379/2"},
      {"redis://user:secret@h", "redis://***@h"},
      {"rediss://:se@cret@h:6380", "rediss://***@h:6380"},
      {
        "redis-sentinel://:secret@s1:26379,s2:26379/0#primary",
        "redis-sentinel://***@s1:26379,s2:26379/0#primary"
      },
      {"redis://h:6379", "redis://h:6379"},
    };
    for (String[] c : cases) {
      RedisSettings s = RedisSettings.builder().uri(c[0]).build();
      assertThat(s.redactedUri()).as(c[0]).isEqualTo(c[1]);
      assertThat(s.toString()).doesNotContain("secret").doesNotContain("cret");
    }
    assertThatThrownBy(() -> RedisSettings.builder().uri("http://:secret@h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  @DisplayName("every setting refuses a value out of range, naming it")
  void limits() {
    RedisSettings.Builder b = RedisSettings.builder();
    assertThatThrownBy(() -> b.streamKey("")).hasMessageContaining("streamKey");
    assertThatThrownBy(() -> b.streamKey("a b")).hasMessageContaining("streamKey");
    assertThatThrownBy(() -> b.maxLength(-1)).hasMessageContaining("maxLength");
    assertThatThrownBy(() -> b.maxAge(Duration.ZERO)).hasMessageContaining("maxAge");
    assertThatThrownBy(() -> b.waitReplicas(101)).hasMessageContaining("waitReplicas");
    assertThatThrownBy(() -> b.waitTimeout(Duration.ofMinutes(2)))
        .hasMessageContaining("waitTimeout");
    assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO))
        .hasMessageContaining("commandTimeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofMinutes(2)))
        .hasMessageContaining("connectTimeout must be 1 ms to 1 minute");
    assertThatThrownBy(() -> b.nodeName("")).hasMessageContaining("nodeName");
    assertThat(b.nodeName("eu west/1").uri("redis://h").build().nodeName()).isEqualTo("eu_west_1");
    assertThat(b.maxAge(null).build().maxAge()).isNull();
  }
}
