package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The nginx configuration docs/cluster.md gives ({@code docs/nginx-cluster.conf}) holds what
 * server-sent events need of a proxy, and the fault test's rewrite changes only its ports.
 */
class NginxConfigTest {
  @Test
  @DisplayName(
      "nginx-cluster.conf: no buffering, long read timeout, HTTP/1.1 keep-alive upstream, no"
          + " Connection passed on")
  void sseDirectives() throws Exception {
    String conf = Files.readString(NginxFront.CONFIG, StandardCharsets.UTF_8);
    assertThat(conf)
        .contains("proxy_buffering off;")
        .contains("proxy_read_timeout 1h;")
        .contains("proxy_http_version 1.1;")
        .contains("proxy_set_header Connection \"\";")
        .contains("keepalive 64;");
  }

  @Test
  @DisplayName("the test's rewrite changes the listen port and the upstream servers, nothing else")
  void rewrite() throws Exception {
    String conf = Files.readString(NginxFront.CONFIG, StandardCharsets.UTF_8);
    String rewritten = NginxFront.rewrite(conf, 9000, List.of(9001, 9002, 9003, 9004));
    assertThat(rewritten)
        .contains("listen 127.0.0.1:9000;")
        .contains("server 127.0.0.1:9001 max_fails=1 fail_timeout=5s;")
        .contains("server 127.0.0.1:9004 max_fails=1 fail_timeout=5s;")
        .doesNotContain("8081")
        .doesNotContain(":8080;");
    assertThat(
            rewritten
                .replaceAll("\\d{4}", "N")
                .replace("    server 127.0.0.1:N max_fails=1 fail_timeout=5s;\n", ""))
        .isEqualTo(
            conf.replaceAll("\\d{4}", "N")
                .replace("    server 127.0.0.1:N max_fails=1 fail_timeout=5s;\n", ""));
  }
}
