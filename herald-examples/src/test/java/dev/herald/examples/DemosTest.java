package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Demos}: every demo on one port, its page at {@code /NAME/}, an index at {@code /}. */
@Timeout(60)
class DemosTest {
  @TempDir Path data;

  @Test
  @DisplayName("the index links every demo; each page is served, and /NAME redirects to /NAME/")
  void servesEveryDemoWithAnIndex() throws Exception {
    try (Demos demos =
        Demos.builder()
            .port(0)
            .dataDirectory(data)
            .add(Demos.NAMES.toArray(new String[0]))
            .start()) {
      assertThat(demos.demos()).extracting(Demo::name).containsExactlyElementsOf(Demos.NAMES);
      HttpResponse<String> index = get(demos.uri());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      for (String name : Demos.NAMES) {
        assertThat(index.body()).contains("<a href=\"" + name + "/\">");
        HttpResponse<String> page = get(demos.uri(name));
        assertThat(page.statusCode()).as(name).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("new EventSource(").contains("window.heraldLog = []");
        HttpResponse<String> bare = get(demos.uri().resolve("/" + name));
        assertThat(bare.statusCode()).isEqualTo(308);
        assertThat(bare.headers().firstValue("location")).hasValue("/" + name + "/");
      }
      assertThat(demos.describe()).hasSize(1 + Demos.NAMES.size());
      assertThat(demos.describe().get(1)).contains("counter").contains(demos.uri("counter") + "");
    }
  }

  @Test
  @DisplayName("only the demos asked for are mounted")
  void onlyTheNamedDemos() throws Exception {
    try (Demos demos = Demos.builder().port(0).add("clock").start()) {
      assertThat(get(demos.uri("clock")).statusCode()).isEqualTo(200);
      assertThat(get(demos.uri("counter")).statusCode()).isEqualTo(404);
      assertThat(get(demos.uri()).body()).contains("clock/").doesNotContain("counter/");
    }
  }

  @Test
  @DisplayName("unknown names and an empty set are refused with the list of names")
  void refusesUnknownNames() {
    assertThatThrownBy(() -> Demos.builder().add("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counter, clock, updates, progress, notifications, many");
    assertThatThrownBy(() -> Demos.create("nope", data))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Demos.builder().port(0).start())
        .isInstanceOf(IllegalStateException.class);
    for (String name : Demos.NAMES) {
      try (Demo demo = Demos.create(name, data)) {
        assertThat(demo.name()).isEqualTo(name);
        assertThat(demo.title()).isNotBlank();
        assertThat(demo.description()).isNotBlank();
      }
    }
  }

  @Test
  @DisplayName("a port in use fails start")
  void portInUse() throws Exception {
    try (Demos first = Demos.builder().port(0).add("clock").start()) {
      // HeraldServer.start fails with a HeraldServerException that names the address.
      assertThatThrownBy(() -> Demos.builder().port(first.port()).add("clock").start())
          .hasMessageContaining("bind");
    }
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return SseClient.HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
