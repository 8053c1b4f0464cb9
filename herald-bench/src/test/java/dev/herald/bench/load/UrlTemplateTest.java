package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlTemplateTest {
  @Test
  void theReferenceShape() {
    UrlTemplate t = UrlTemplate.of("http://127.0.0.1:8090/sub/{ch}");
    assertThat(t.host()).isEqualTo("127.0.0.1");
    assertThat(t.port()).isEqualTo(8090);
    assertThat(t.authority()).isEqualTo("127.0.0.1:8090");
    assertThat(t.target(Map.of("ch", "fan-1"))).isEqualTo("/sub/fan-1");
  }

  @Test
  void aMercureShapeWithTheChannelInTheQuery() {
    UrlTemplate t = UrlTemplate.of("http://localhost/.well-known/mercure?topic={ch}");
    assertThat(t.port()).isEqualTo(80);
    assertThat(t.authority()).isEqualTo("localhost");
    assertThat(t.target(Map.of("ch", "https://example.com/books/1")))
        .isEqualTo("/.well-known/mercure?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1");
  }

  @Test
  void noPathMeansSlash() {
    assertThat(UrlTemplate.of("http://127.0.0.1:9").target(Map.of())).isEqualTo("/");
  }

  @Test
  void aBodyTemplateIsExpandedAsItIs() {
    assertThat(
            UrlTemplate.expandRaw("topic={ch}&data={data}", Map.of("ch", "a", "data", "t=1 s=2")))
        .isEqualTo("topic=a&data=t=1 s=2");
  }

  @Test
  void aPlaceholderWithoutValueIsAnError() {
    UrlTemplate t = UrlTemplate.of("http://127.0.0.1:1/sub/{topic}");
    assertThatThrownBy(() -> t.target(Map.of("ch", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{topic}");
  }

  @Test
  void onlyHttpUrlsWithAHost() {
    assertThatThrownBy(() -> UrlTemplate.of("https://127.0.0.1/sub/{ch}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UrlTemplate.of("/sub/{ch}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
