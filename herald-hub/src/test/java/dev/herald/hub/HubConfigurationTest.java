package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import dev.herald.server.ServerSettings;
import dev.herald.server.SlowConsumerPolicy;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The hub's configuration: one immutable copy taken at build, every server option reachable through
 * {@link ServerSettings}, and the collaborators an embedder hands in (meters, executors).
 */
class HubConfigurationTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Hub started(Hub.Builder builder) {
    Hub hub = builder.build().start();
    open.add(() -> hub.close(Duration.ZERO));
    return hub;
  }

  @Test
  @DisplayName("changing the builder after build() changes nothing in the hub it built")
  void builtHubIsACopy() throws Exception {
    Hub.Builder builder =
        Hub.builder()
            .server(TestHubs.settings(0).maxBodyBytes(64 * 1024).build())
            .anonymousSubscribers(true)
            .anonymousPublishers(true)
            .dashboard(false)
            .maxMatchers(1)
            .maxTopics(2);
    Hub hub = builder.build();
    builder
        .server(ServerSettings.builder().port(1).maxBodyBytes(16).build())
        .port(2)
        .publicUrl("https://elsewhere.example/hub")
        .anonymousPublishers(false)
        .dashboard(true)
        .subscriptionsApi(true)
        .maxMatchers(5)
        .maxTopics(50);
    hub.start();
    open.add(() -> hub.close(Duration.ZERO));
    HubClient client = new HubClient(hub);

    assertThat(hub.port()).isNotIn(1, 2);
    assertThat(hub.url()).startsWith("http://127.0.0.1:" + hub.port());
    assertThat(hub.server().settings().maxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(client.get("/").statusCode()).as("dashboard still off").isEqualTo(404);
    assertThat(client.get(Hub.DEFAULT_PATH + "/subscriptions").body())
        .isEqualTo("the subscription API is not enabled");
    assertThat(client.get(Hub.DEFAULT_PATH + "?match=a&match=b").body())
        .isEqualTo("more than 1 topic matchers");
    assertThat(client.publish(form("topic", "a", "topic", "b", "topic", "c")).statusCode())
        .as("still 2 topics at most")
        .isEqualTo(413);
    HttpResponse<String> anonymous = client.publish(form("topic", "a", "data", "x".repeat(100)));
    assertThat(anonymous.statusCode())
        .as("anonymous publishers and a 64 KiB body, as built")
        .isEqualTo(200);
  }

  @Test
  @DisplayName("every server option set through ServerSettings reaches the hub's running server")
  void serverSettingsReachTheServer() throws Exception {
    ServerSettings settings =
        ServerSettings.builder()
            .host("127.0.0.1")
            .port(0)
            .eventLoopThreads(1)
            .heartbeat(Duration.ofMillis(200))
            .maxConnections(3)
            .maxRequestLineBytes(1000)
            .maxHeaderBytes(2000)
            .maxBodyBytes(300)
            .maxPendingBytes(64 * 1024)
            .slowConsumerPolicy(SlowConsumerPolicy.CLOSE, Duration.ofMillis(700))
            .drain(Duration.ofMillis(100))
            .h2c(true)
            .maxConcurrentStreams(7)
            .cors(true, "https://app.example")
            .requestHeadTimeout(Duration.ofSeconds(3))
            .requestBodyTimeout(Duration.ofSeconds(4))
            .tlsHandshakeTimeout(Duration.ofSeconds(5))
            .idleTimeout(Duration.ofSeconds(6))
            .build();
    Hub hub =
        started(
            Hub.builder()
                .server(settings)
                .anonymousSubscribers(true)
                .anonymousPublishers(true)
                .dashboard(false));
    assertThat(hub.server().settings()).isEqualTo(settings);

    // maxConnections: with three open, a fourth is answered 503 (a probe, which says why)
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(socket(hub));
      }
      Poll.until(() -> hub.server().openConnections() == 3);
      try (Socket fourth = socket(hub)) {
        write(fourth, "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readUntil(fourth.getInputStream(), "full")).startsWith("HTTP/1.1 503");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Poll.until(() -> hub.server().openConnections() == 0);
    // heartbeat: an idle stream gets a comment within a few intervals
    try (Socket s = socket(hub)) {
      write(s, "GET " + Hub.DEFAULT_PATH + "?match=a HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readUntil(s.getInputStream(), "\n:")).contains("200 OK");
    }
    // h2c: the HTTP/2 connection preface is answered with a SETTINGS frame
    try (Socket s = socket(hub)) {
      OutputStream out = s.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
      out.flush();
      byte[] frame = s.getInputStream().readNBytes(9);
      assertThat(frame[3]).as("frame type SETTINGS").isEqualTo((byte) 4);
    }
    // maxBodyBytes: a body over 300 bytes is refused
    assertThat(new HubClient(hub).publish(form("topic", "a", "data", "x".repeat(400))).statusCode())
        .isEqualTo(413);
  }

  @Test
  @DisplayName("an embedder's MeterRegistry gets the hub's meters, stays open, and loses them")
  void embeddersMeterRegistry() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Hub hub =
        Hub.builder()
            .server(TestHubs.settings(0).build())
            .anonymousSubscribers(true)
            .anonymousPublishers(true)
            .dashboard(false)
            .meterRegistry(registry)
            .build()
            .start();
    try {
      HubClient client = new HubClient(hub);
      assertThat(client.publish(form("topic", "a")).statusCode()).isEqualTo(200);
      hub.publish(Update.of("a", "from Java")).join();
      assertThat(registry.get("herald.hub.updates.published").counter().count()).isEqualTo(2);
      assertThat(registry.get("herald.hub.publish.requests").counter().count()).isEqualTo(1);
      assertThat(registry.get("herald.connections.open").gauge()).isNotNull();
      assertThat(registry.get("herald.hub.subscribers").gauge().value()).isZero();
      HttpResponse<String> metrics = client.get("/metrics");
      assertThat(metrics.statusCode()).as("not a Prometheus registry").isEqualTo(404);
      assertThat(metrics.body()).isEqualTo(Hub.NO_PROMETHEUS);
      assertThatThrownBy(hub::scrape).isInstanceOf(IllegalStateException.class);
    } finally {
      hub.close(Duration.ZERO);
    }
    assertThat(registry.isClosed()).isFalse();
    assertThat(registry.getMeters())
        .extracting(Meter::getId)
        .noneMatch(id -> id.getName().startsWith("herald."));
  }

  @Test
  @DisplayName("/metrics serves an embedder's Prometheus registry, which the hub leaves open")
  void embeddersPrometheusRegistry() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    open.add(registry::close);
    Hub hub =
        started(
            Hub.builder()
                .server(TestHubs.settings(0).build())
                .anonymousPublishers(true)
                .dashboard(false)
                .meterRegistry(registry));
    hub.publish(Update.of("a", "x")).join();
    HttpResponse<String> metrics = new HubClient(hub).get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("herald_hub_updates_published_total 1.0");
    hub.close(Duration.ZERO);
    assertThat(registry.isClosed()).isFalse();
  }

  @Test
  @DisplayName("a hub runs resumes and timers on the executors it is given and leaves them running")
  void embeddersExecutors() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    open.add(pool::shutdownNow);
    open.add(timers::shutdownNow);
    AtomicInteger replayTasks = new AtomicInteger();
    Hub hub =
        Hub.builder()
            .server(TestHubs.settings(0).build())
            .anonymousSubscribers(true)
            .dashboard(false)
            .maxConnectionLifetime(Duration.ofSeconds(1))
            .replayExecutor(
                task -> {
                  replayTasks.incrementAndGet();
                  pool.execute(task);
                })
            .timerExecutor(timers)
            .build()
            .start();
    try {
      String id = hub.publish(Update.of("a", "first")).join();
      hub.publish(Update.of("a", "second")).join();
      try (HubClient.Subscription s =
          new HubClient(hub).subscribe("match=a", "Last-Event-ID", id)) {
        assertThat(s.next().data()).isEqualTo("second");
        assertThat(replayTasks.get()).as("the resume ran on the given executor").isPositive();
        assertThat(s.awaitEnd(5000)).as("the lifetime ended the stream").isTrue();
      }
      assertThat(timers.getTaskCount()).as("scheduled on the given timer").isPositive();
    } finally {
      hub.close(Duration.ZERO);
    }
    assertThat(pool.isShutdown()).isFalse();
    assertThat(timers.isShutdown()).isFalse();
  }

  @Test
  @DisplayName("CORS with credentials from every origin is refused when the hub is built")
  void corsWildcardWithCredentials() {
    Hub.Builder builder =
        Hub.builder().server(ServerSettings.builder().cors(true, "https://a.example", "*").build());
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("explicit list of origins");
  }

  private static Socket socket(Hub hub) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", hub.port()), 5000);
    s.setSoTimeout(5000);
    return s;
  }

  private static void write(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  /** Reads until {@code marker} has been read; what was read. */
  private static String readUntil(InputStream in, String marker) throws Exception {
    StringBuilder text = new StringBuilder();
    while (text.indexOf(marker) < 0) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      text.append((char) c);
    }
    return text.toString();
  }
}
