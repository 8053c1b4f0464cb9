package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.Hub;
import dev.herald.hub.auth.Grants;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.testing.HubExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code herald token} and {@code herald pub} against a hub in the same process. */
class HubCommandsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String ISSUER = "https://app.test";
  private static final String HUB_AUDIENCE = "http://127.0.0.1/.well-known/mercure";

  /** The hub {@code herald pub} publishes to: it trusts this test's key for its own audience. */
  @RegisterExtension
  static final HubExtension hub =
      HubExtension.of(
          b ->
              b.dashboard(false)
                  .anonymousSubscribers(true)
                  .verifier(
                      TokenVerifier.builder()
                          .resource(HUB_AUDIENCE)
                          .hmacKey(ISSUER, SECRET.getBytes(StandardCharsets.UTF_8))
                          .build()));

  /** {@code herald token} with this test's key and issuer, for {@code audience}. */
  private static Cli.Result mint(String audience, String... grants) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("token", "--secret", SECRET, "--issuer", ISSUER, "--audience", audience));
    args.addAll(List.of(grants));
    return Cli.run("", args.toArray(String[]::new));
  }

  @Test
  @DisplayName("herald token mints an at+jwt the hub's verifier accepts, with the grants asked")
  void token() throws Exception {
    String audience = "https://hub.test/.well-known/mercure";
    Cli.Result r =
        mint(
            audience,
            "--publish",
            "https://example.com/a",
            "--subscribe-pattern",
            "https://example.com/books/:id",
            "--ttl",
            "PT5M");
    assertThat(r.status()).as(r.err()).isZero();
    String token = r.out().strip();
    try (TokenVerifier verifier =
        TokenVerifier.builder()
            .resource(audience)
            .hmacKey(ISSUER, SECRET.getBytes(StandardCharsets.UTF_8))
            .build()) {
      Grants grants = verifier.verify(token);
      assertThat(grants.mayPublish("https://example.com/a")).isTrue();
      assertThat(grants.mayPublish("https://example.com/b")).isFalse();
      assertThat(grants.maySubscribe("https://example.com/books/7")).isTrue();
      assertThat(grants.expiresAt()).isBefore(java.time.Instant.now().plusSeconds(301));
    }
    assertThat(Cli.run("", "token", "--secret", "short", "--publish", "*").status()).isEqualTo(2);
    assertThat(Cli.run("", "token", "--secret", SECRET).status()).as("no grant").isEqualTo(2);
  }

  @Test
  @DisplayName(
      "herald token --hub URL mints iss and aud as the hub at URL expects them by default (its"
          + " origin, its URL): a hub on another port than 8080 accepts the token")
  void tokenForTheHubAtUrl() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String origin = "http://127.0.0.1:" + port;
    String url = origin + Hub.DEFAULT_PATH;
    Hub other =
        Hub.builder()
            .port(port)
            .dashboard(false)
            .publicUrl(url)
            .resource(url)
            .verifier(
                TokenVerifier.builder()
                    .resource(url)
                    .hubUrl(url)
                    .hmacKey(origin, SECRET.getBytes(StandardCharsets.UTF_8))
                    .build())
            .build()
            .start();
    try {
      Cli.Result minted = Cli.run("", "token", "--secret", SECRET, "--hub", url, "--publish", "*");
      assertThat(minted.status()).as(minted.err()).isZero();
      String token = minted.out().strip();
      Cli.Result published =
          Cli.run("", "pub", "--hub", url, "--token", token, "--topic", "t", "--id", "e-9");
      assertThat(published.status()).as(published.err()).isZero();
      assertThat(published.out().strip()).isEqualTo("e-9");
      // the default, a hub at 8080, is what this hub refuses, and says why
      String for8080 = Cli.run("", "token", "--secret", SECRET, "--publish", "*").out().strip();
      Cli.Result refused =
          Cli.run("", "pub", "--hub", url, "--token", for8080, "--topic", "t", "--id", "e-10");
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.err()).contains("401").contains("error_description=");
    } finally {
      other.close(java.time.Duration.ZERO);
    }
  }

  @Test
  @DisplayName("herald pub names the cause of a network error: a refused connection, not null")
  void pubNamesTheNetworkError() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + Hub.DEFAULT_PATH;
    Cli.Result r = Cli.run("", "pub", "--hub", url, "--token", "t", "--topic", "t");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("herald pub: cannot reach " + url + ": ")
        .containsIgnoringCase("connection refused")
        .doesNotContain("null");
  }

  @Test
  @DisplayName("herald hub quotes a value for the shell in its export lines")
  void shellQuoted() {
    assertThat(HubCommand.shellQuoted("http://h/a'b")).isEqualTo("'http://h/a'\\''b'");
  }

  @Test
  @DisplayName(
      "herald hub refuses a coalescing window outside 0 to 1 s before it starts, naming it")
  void hubCoalesceLimit() throws Exception {
    for (String window : new String[] {"PT2S", "PT-0.001S"}) {
      Cli.Result r = Cli.run("", "hub", "--port", "0", "--store", "memory", "--coalesce", window);
      assertThat(r.status()).as(window).isEqualTo(2);
      assertThat(r.err()).contains("--coalesce must be between PT0S and PT1S");
    }
  }

  @Test
  @DisplayName(
      "herald hub answers a value its builders refuse with a usage error naming it, not a stack"
          + " trace")
  void hubBadValues() throws Exception {
    String[][] cases = {
      {"--history-max-updates", "-1", "maxUpdates must not be negative"},
      {"--public-url", "relative/path", "the hub URL must be absolute"},
      {"--request-head-timeout", "PT0S", "requestHeadTimeout must be positive"},
      {"--idle-timeout", "PT-1S", "idleTimeout must be positive"},
    };
    for (String[] c : cases) {
      Cli.Result r = Cli.run("", "hub", "--port", "1", "--store", "memory", c[0], c[1]);
      assertThat(r.status()).as(c[0]).isEqualTo(2);
      assertThat(r.err()).as(c[0]).contains(c[2]).doesNotContain("\tat ");
    }
  }

  @Test
  @DisplayName(
      "herald hub --redis with an unreachable Redis exits 1 saying so, without the URI's password")
  void hubRedisUnreachable() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed: nothing listens there
    }
    String uri = "redis://:pa55-word-xyz@127.0.0.1:" + port;
    Cli.Result r = Cli.run("", "hub", "--port", "1", "--redis", uri);
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .contains("cannot reach Redis at redis://***@127.0.0.1:" + port)
        .doesNotContain("pa55-word-xyz")
        .doesNotContain("\tat ");
  }

  @Test
  @DisplayName("herald hub answers a Redis setting out of range with a usage error naming it")
  void hubRedisBadValues() throws Exception {
    String[][] cases = {
      {"--redis-wait-replicas", "-1", "waitReplicas must be 0 to 100"},
      {"--redis-max-len", "-5", "maxLength must not be negative"},
      {"--redis-wait-timeout", "PT0S", "waitTimeout must be 1 ms to 1 minute"},
      {"--redis-stream", "has space", "streamKey must be"},
      {"--node-name", "", "a node name has 1 to 200 characters"},
    };
    for (String[] c : cases) {
      Cli.Result r =
          Cli.run("", "hub", "--port", "1", "--redis", "redis://127.0.0.1:1", c[0], c[1]);
      assertThat(r.status()).as(c[0]).isEqualTo(2);
      assertThat(r.err()).as(c[0]).contains(c[2]).doesNotContain("\tat ");
    }
  }

  @Test
  @DisplayName("herald help hub lists the cluster options with their variables")
  void hubHelpListsRedis() throws Exception {
    assertThat(Cli.run("", "help", "hub").out())
        .contains("--redis=URI", "HERALD_REDIS_URL")
        .contains("--redis-stream", "HERALD_REDIS_STREAM")
        .contains("--redis-wait-replicas", "HERALD_REDIS_WAIT_REPLICAS")
        .contains("--redis-wait-timeout", "HERALD_REDIS_WAIT_TIMEOUT")
        .contains("--redis-max-len", "HERALD_REDIS_MAX_LEN")
        .contains("--redis-max-age", "HERALD_REDIS_MAX_AGE")
        .contains("--node-name", "HERALD_NODE_NAME");
  }

  @Test
  @DisplayName(
      "herald help hub lists the connection timeouts and the access log with their variables")
  void hubHelpListsTimeouts() throws Exception {
    Cli.Result r = Cli.run("", "help", "hub");
    assertThat(r.out())
        .contains("--request-head-timeout", "HERALD_REQUEST_HEAD_TIMEOUT", "(PT10S)")
        .contains("--request-body-timeout", "HERALD_REQUEST_BODY_TIMEOUT", "(PT30S)")
        .contains("--tls-handshake-timeout", "HERALD_TLS_HANDSHAKE_TIMEOUT")
        .contains("--idle-timeout", "HERALD_IDLE_TIMEOUT", "(PT60S)")
        .contains("--access-log", "HERALD_ACCESS_LOG");
  }

  @Test
  @DisplayName(
      "herald help hub lists --h2c, the server setting the hub now reaches, with its variable")
  void hubHelpListsH2c() throws Exception {
    assertThat(Cli.run("", "help", "hub").out()).contains("--h2c", "HERALD_H2C");
  }

  @Test
  @DisplayName("herald hub answers CORS with credentials from every origin with a usage error")
  void hubCorsWildcard() throws Exception {
    Cli.Result r = Cli.run("", "hub", "--port", "1", "--store", "memory", "--cors-origin", "*");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("explicit list of origins").doesNotContain("\tat ");
  }

  @Test
  @DisplayName("herald pub publishes with a token and prints the ID; a refusal exits 1 with why")
  void pub() throws Exception {
    String url = hub.url();
    String token = mint(HUB_AUDIENCE, "--publish", "*").out().strip();
    Cli.Result ok =
        Cli.run(
            "line one\nline two",
            "pub",
            "--hub",
            url,
            "--token",
            token,
            "--topic",
            "t",
            "--id",
            "e-1",
            "--data",
            "-");
    assertThat(ok.status()).as(ok.err()).isZero();
    assertThat(ok.out().strip()).isEqualTo("e-1");
    Cli.Result noScheme =
        Cli.run(
            "",
            "pub",
            "--hub",
            "hub.example/.well-known/mercure",
            "--token",
            token,
            "--topic",
            "t");
    assertThat(noScheme.status()).isEqualTo(2);
    assertThat(noScheme.err()).contains("--hub must be an http or https URL with a host");
    Cli.Result refused = Cli.run("", "pub", "--hub", url, "--token", "bad", "--topic", "t");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("401").contains("invalid_token");
  }
}
