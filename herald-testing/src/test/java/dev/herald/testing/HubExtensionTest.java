package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.Hub;
import dev.herald.server.HeraldServerException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link HubExtension}'s lifecycle as JUnit drives it: sample classes run through the launcher
 * record the hubs they saw. {@link HubExtensionTokensTest} has the tokens.
 */
@Timeout(60)
class HubExtensionTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BOOK = "https://example.com/books/1";

  /** The hubs the samples' tests saw, in order, and their ports. */
  static final List<Hub> seen = new CopyOnWriteArrayList<>();

  static final List<Integer> ports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clear() {
    seen.clear();
    ports.clear();
  }

  static HubExtension anonymous() {
    return HubExtension.of(b -> b.anonymousSubscribers(true).anonymousPublishers(true));
  }

  /** POSTs an update of {@code topic} to the hub, with {@code token} unless null. */
  static HttpResponse<String> publish(String hubUrl, String token, String topic, String... more)
      throws Exception {
    StringBuilder form = new StringBuilder("topic=" + encode(topic) + "&data=d");
    for (String field : more) {
      form.append('&').append(field);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hubUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void record(HubExtension extension, Hub parameter) throws Exception {
    assertThat(parameter).as("the parameter").isSameAs(extension.hub());
    assertThat(extension.url())
        .isEqualTo("http://127.0.0.1:" + extension.port() + "/.well-known/mercure");
    assertThat(publish(extension.url(), null, BOOK).statusCode()).isEqualTo(200);
    seen.add(parameter);
    ports.add(parameter.port());
  }

  @Tag(JUnitRun.SAMPLE)
  static class Static {
    @RegisterExtension static final HubExtension hub = anonymous();

    @Test
    void first(Hub injected) throws Exception {
      record(hub, injected);
    }

    @Test
    void second(Hub injected) throws Exception {
      record(hub, injected);
    }
  }

  @TestMethodOrder(MethodOrderer.MethodName.class) // first, then second
  @Tag(JUnitRun.SAMPLE)
  static class PerTest {
    @RegisterExtension final HubExtension hub = anonymous();

    @Test
    void first(Hub injected) throws Exception {
      record(hub, injected);
    }

    @Test
    void second(Hub injected) throws Exception {
      assertThat(HeraldServerExtensionTest.listening(ports.get(0))).isFalse();
      record(hub, injected);
    }
  }

  @Test
  @DisplayName("in a static field one hub for the class, in an instance field one per test; closed")
  void lifecycles() throws Exception {
    TestExecutionSummary summary = JUnitRun.run(Static.class);
    assertThat(JUnitRun.failures(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1)).isSameAs(seen.get(0));
    assertThat(HeraldServerExtensionTest.listening(ports.get(0))).isFalse();

    clear();
    summary = JUnitRun.run(PerTest.class);
    assertThat(JUnitRun.failures(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(seen.get(1)).isNotSameAs(seen.get(0));
    assertThat(HeraldServerExtensionTest.listening(ports.get(1))).isFalse();
  }

  static int taken;

  @Tag(JUnitRun.SAMPLE)
  static class PortTaken {
    @RegisterExtension static final HubExtension hub = HubExtension.of(b -> b.port(taken));

    @Test
    void never() {
      seen.add(hub.hub());
    }
  }

  @Test
  @DisplayName("a hub that cannot start fails the class with why, and leaves no hub thread")
  void startFailure() throws Exception {
    TestExecutionSummary summary;
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      taken = occupied.getLocalPort();
      summary = JUnitRun.run(PortTaken.class);
    }
    assertThat(JUnitRun.failures(summary)).hasSize(1);
    assertThat(JUnitRun.failures(summary).get(0))
        .isInstanceOf(HeraldServerException.class)
        .hasMessageContaining("cannot bind 127.0.0.1:" + taken);
    assertThat(seen).isEmpty();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (hubThreads() > 0) {
      assertThat(System.nanoTime()).as("hub threads still alive after 10 s").isLessThan(deadline);
      Thread.sleep(20); // nothing to wait on: a pool's thread ends on its own
    }
  }

  private static long hubThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("herald-hub-"))
        .count();
  }
}
