package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.server.HeraldServer;
import dev.herald.server.HeraldServerException;
import dev.herald.server.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link HeraldServerExtension} as JUnit drives it: the sample classes below are run through the
 * launcher, each of their tests records the server it saw, and this test checks what was running
 * when, and that nothing listens afterwards. This class has a server of its own too, one per test.
 */
class HeraldServerExtensionTest {
  /** The servers the samples' tests saw, in order, and their ports. */
  static final List<HeraldServer> seen = new CopyOnWriteArrayList<>();

  static final List<Integer> ports = new CopyOnWriteArrayList<>();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeEach
  void clear() {
    seen.clear();
    ports.clear();
  }

  /** GETs {@code uri} and returns the body; fails unless the status is 200. */
  static String get(URI uri) throws Exception {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
    return response.body();
  }

  /** Whether anything accepts a connection on {@code port} of 127.0.0.1. */
  static boolean listening(int port) throws IOException {
    try {
      new Socket(InetAddress.getLoopbackAddress(), port).close();
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  static HeraldServerExtension hello() {
    return HeraldServerExtension.of(b -> b.get("/hello", request -> Response.text(200, "hi")));
  }

  /** Records the server a test saw, after checking it serves on the port the extension reports. */
  static void record(HeraldServerExtension extension, HeraldServer parameter) throws Exception {
    assertThat(parameter).as("the parameter").isSameAs(extension.server());
    assertThat(extension.port()).isEqualTo(parameter.port());
    assertThat(extension.uri("/hello?x=1"))
        .isEqualTo(URI.create("http://127.0.0.1:" + extension.port() + "/hello?x=1"));
    assertThat(get(extension.uri("/hello"))).isEqualTo("hi");
    seen.add(parameter);
    ports.add(parameter.port());
  }

  @Tag(JUnitRun.SAMPLE)
  static class Static {
    @RegisterExtension static final HeraldServerExtension server = hello();

    @Test
    void first(HeraldServer injected) throws Exception {
      record(server, injected);
    }

    @Test
    void second(HeraldServer injected) throws Exception {
      record(server, injected);
    }

    @Nested
    class Inner {
      @Test
      void third(HeraldServer injected) throws Exception {
        record(server, injected);
      }
    }
  }

  @Test
  @DisplayName(
      "in a static field: one server for every test of the class, nested ones included, stopped"
          + " after them")
  void staticFieldOneServerPerClass() throws Exception {
    TestExecutionSummary summary = JUnitRun.run(Static.class);
    assertThat(JUnitRun.failures(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
    assertThat(seen).hasSize(3).allSatisfy(server -> assertThat(server).isSameAs(seen.get(0)));
    assertThat(ports).containsOnly(ports.get(0));
    assertThat(listening(ports.get(0))).as("listening after the class").isFalse();
    assertThatThrownBy(Static.server::server)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running");
  }

  @TestMethodOrder(MethodOrderer.MethodName.class) // first, then second
  @Tag(JUnitRun.SAMPLE)
  static class PerTest {
    @RegisterExtension final HeraldServerExtension server = hello();

    @Test
    void first(HeraldServer injected) throws Exception {
      record(server, injected);
    }

    @Test
    void second(HeraldServer injected) throws Exception {
      assertThat(listening(ports.get(0))).as("the first test's server").isFalse();
      record(server, injected);
    }
  }

  @Test
  @DisplayName("in an instance field: a server for each test, stopped after it")
  void instanceFieldOneServerPerTest() throws Exception {
    TestExecutionSummary summary = JUnitRun.run(PerTest.class);
    assertThat(JUnitRun.failures(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1)).isNotSameAs(seen.get(0));
    assertThat(listening(ports.get(1))).as("listening after the test").isFalse();
  }

  static final IllegalArgumentException MISCONFIGURED = new IllegalArgumentException("no such");

  @Tag(JUnitRun.SAMPLE)
  static class Misconfigured {
    @RegisterExtension
    static final HeraldServerExtension server =
        HeraldServerExtension.of(
            b -> {
              throw MISCONFIGURED;
            });

    @Test
    void never() {
      seen.add(server.server());
    }
  }

  static int taken;

  @Tag(JUnitRun.SAMPLE)
  static class PortTaken {
    @RegisterExtension
    static final HeraldServerExtension server = HeraldServerExtension.of(b -> b.port(taken));

    @Test
    void never() {
      seen.add(server.server());
    }
  }

  @Test
  @DisplayName("a server that cannot start fails the class with the exception that stopped it")
  void startFailureReportsItsCause() throws Exception {
    TestExecutionSummary summary = JUnitRun.run(Misconfigured.class);
    assertThat(JUnitRun.failures(summary)).containsExactly(MISCONFIGURED);
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      taken = occupied.getLocalPort();
      summary = JUnitRun.run(PortTaken.class);
    }
    assertThat(JUnitRun.failures(summary)).hasSize(1);
    assertThat(JUnitRun.failures(summary).get(0))
        .isInstanceOf(HeraldServerException.class)
        .hasMessageContaining("cannot bind 127.0.0.1:" + taken);
    assertThat(seen).isEmpty();
  }

  @RegisterExtension final HeraldServerExtension server = hello();

  @Test
  @DisplayName("restart(): a new server on the same port, the old one stopped")
  void restart(HeraldServer before) throws Exception {
    int port = server.port();
    server.restart();
    assertThat(server.server()).isNotSameAs(before);
    assertThat(server.port()).isEqualTo(port);
    assertThat(get(server.uri("/hello"))).isEqualTo("hi");
  }

  @Test
  @DisplayName("uri(path) wants a path that starts with /")
  void uriNeedsAbsolutePath() {
    assertThatThrownBy(() -> server.uri("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with /");
  }
}
