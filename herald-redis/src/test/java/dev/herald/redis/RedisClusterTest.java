package dev.herald.redis;

import static dev.herald.redis.HubHttp.form;
import static dev.herald.redis.HubHttp.poll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.server.ServerSettings;
import dev.herald.testing.RedisServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Three in-process hubs, each on its own port, clustered through one real {@code redis-server}
 * (with its append-only file, so that a Redis stopped and started again keeps the stream unless a
 * test starts one without). Every hub trusts the same issuer and answers to one public URL, as
 * nodes behind one load balancer do. Real HTTP on 127.0.0.1.
 */
class RedisClusterTest {
  private static final String PUBLIC_URL = "https://hub.example.com/.well-known/mercure";
  private static final byte[] SECRET =
      "a-cluster-test-secret-of-32-bytes!".getBytes(StandardCharsets.UTF_8);
  private static final String ISSUER = "https://issuer.example.com";
  private static final String BOOKS = "https://example.com/books/1";
  private static final String MATCH = "match=" + URLEncoder.encode(BOOKS, StandardCharsets.UTF_8);

  private static RedisServer redis;
  private final List<Hub> hubs = new ArrayList<>();
  private final List<HubHttp> nodes = new ArrayList<>();
  private String streamKey;

  @BeforeAll
  static void startRedis() {
    redis =
        RedisServer.builder()
            .args(
                "--appendonly", "yes", "--appendfsync", "always", "--stream-node-max-entries", "5")
            .start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void stopHubs() {
    for (Hub hub : hubs) {
      hub.close(Duration.ZERO);
    }
  }

  /** Three nodes on {@code server}'s Redis, each with the settings {@code more} adds. */
  private void startNodes(
      TestInfo test, RedisServer server, UnaryOperator<RedisSettings.Builder> settings) {
    streamKey = "cluster:" + test.getTestMethod().orElseThrow().getName();
    for (int i = 0; i < 3; i++) {
      RedisUpdateStore store =
          RedisUpdateStore.open(
              settings
                  .apply(
                      RedisSettings.builder()
                          .uri(server.uri())
                          .streamKey(streamKey)
                          .nodeName("node-" + i))
                  .build());
      Hub hub =
          Hub.builder()
              .server(
                  ServerSettings.builder()
                      .port(0)
                      .eventLoopThreads(1)
                      .heartbeat(Duration.ofMillis(200))
                      .build())
              .publicUrl(PUBLIC_URL)
              .nodeName("node-" + i)
              .verifier(
                  TokenVerifier.builder()
                      .resource(PUBLIC_URL)
                      .hubUrl(PUBLIC_URL)
                      .hmacKey(ISSUER, SECRET)
                      .build())
              .anonymousSubscribers(true)
              .gapEvents(true)
              .dashboard(false)
              .store(store, store.bus())
              .build()
              .start();
      hubs.add(hub);
      nodes.add(new HubHttp(hub));
    }
  }

  private void startNodes(TestInfo test) {
    startNodes(test, redis, s -> s);
  }

  private static TokenMinter.Builder token() {
    return TokenMinter.builder()
        .hmacSecret(SECRET)
        .issuer(ISSUER)
        .audience(PUBLIC_URL)
        .ttl(Duration.ofMinutes(5));
  }

  private static final String PUBLISHER = "Bearer " + token().publishAll().build().mint();

  /** Publishes through node {@code n}; returns the update's ID. */
  private String publish(int n, String... fields) throws Exception {
    List<String> form = new ArrayList<>(List.of("topic", BOOKS));
    form.addAll(List.of(fields));
    HttpResponse<String> response =
        nodes.get(n).publish(form(form.toArray(String[]::new)), "Authorization", PUBLISHER);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static List<String> ids(List<SseEvent> events) {
    return events.stream().map(SseEvent::id).toList();
  }

  /** Waits until every node dispatched {@code id}. */
  private void dispatchedEverywhere(String id) throws InterruptedException {
    poll(() -> hubs.stream().allMatch(h -> h.lastEventId().equals(id)));
  }

  @Test
  @DisplayName("updates published on every node at once reach every subscriber in one order")
  void oneOrder(TestInfo test) throws Exception {
    startNodes(test);
    List<HubHttp.Subscription> subscribers = new ArrayList<>();
    try {
      for (HubHttp node : nodes) {
        subscribers.add(node.subscribe(MATCH));
        subscribers.add(node.subscribe(MATCH));
      }
      poll(() -> hubs.stream().allMatch(h -> h.subscribers() == 2));
      int perNode = 40;
      ExecutorService publishers = Executors.newFixedThreadPool(3);
      List<Future<List<String>>> published = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        int node = n;
        Callable<List<String>> task =
            () -> {
              List<String> ids = new ArrayList<>();
              for (int i = 0; i < perNode; i++) {
                ids.add(publish(node, "data", "n" + node + "-" + i));
              }
              return ids;
            };
        published.add(publishers.submit(task));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : published) {
        all.addAll(f.get());
      }
      publishers.shutdown();
      List<String> first = subscribers.get(0).ids(3 * perNode);
      assertThat(first).containsExactlyInAnyOrderElementsOf(all);
      for (HubHttp.Subscription s : subscribers.subList(1, subscribers.size())) {
        assertThat(s.ids(3 * perNode)).as("the same sequence on every node").isEqualTo(first);
      }
      for (HubHttp.Subscription s : subscribers) {
        assertThat(s.drain(100)).as("nothing twice").isEmpty();
      }
    } finally {
      subscribers.forEach(HubHttp.Subscription::close);
    }
  }

  @Test
  @DisplayName("a subscriber resumes on another node from a hub-made ID and from a publisher's ID")
  void resumeOnAnotherNode(TestInfo test) throws Exception {
    startNodes(test);
    List<String> ids = new ArrayList<>();
    ids.add(publish(0, "data", "u0"));
    ids.add(publish(0, "data", "u1", "id", "publisher-id-1"));
    ids.add(publish(1, "data", "u2"));
    ids.add(publish(0, "data", "u3"));
    ids.add(publish(1, "data", "u4"));
    assertThat(ids.get(0)).startsWith("urn:uuid:");
    assertThat(ids.get(1)).isEqualTo("publisher-id-1");
    dispatchedEverywhere(ids.get(4));
    try (var fromHubId = nodes.get(2).subscribe(MATCH, "Last-Event-ID", ids.get(0));
        var fromPublisherId = nodes.get(1).subscribe(MATCH, "Last-Event-ID", "publisher-id-1")) {
      assertThat(fromHubId.header("Mercure-Last-Event-ID")).isEqualTo(ids.get(0));
      assertThat(fromPublisherId.header("Mercure-Last-Event-ID")).isEqualTo("publisher-id-1");
      assertThat(fromHubId.ids(4)).isEqualTo(ids.subList(1, 5));
      assertThat(fromPublisherId.ids(3)).isEqualTo(ids.subList(2, 5));
      String live = publish(0, "data", "u5");
      assertThat(fromHubId.next().id()).isEqualTo(live);
      assertThat(fromPublisherId.next().id()).isEqualTo(live);
      assertThat(fromHubId.drain(200)).as("once each").isEmpty();
      assertThat(fromPublisherId.drain(0)).isEmpty();
    }
    assertThat(hubs.get(1).scrape())
        .as("the node's Redis meters in the hub's registry")
        .contains("herald_redis_command_latency_seconds_count")
        .contains("herald_redis_stream_lag_milliseconds")
        .contains("herald_redis_connected 1.0")
        .contains("herald_redis_history_lost_total 0.0");
  }

  @Test
  @DisplayName("an ID trimmed away resumes at earliest, with the gap event, on any node")
  void trimmedId(TestInfo test) throws Exception {
    startNodes(test, redis, s -> s.maxLength(10));
    String first = publish(0, "data", "first");
    String last = null;
    for (int i = 0; i < 60; i++) {
      last = publish(i % 3, "data", "u" + i);
    }
    dispatchedEverywhere(last);
    assertThat((Long) redis.command("HLEN", streamKey + ":ids"))
        .as("the ID lookup is trimmed with the stream")
        .isLessThan(40);
    try (var resumed = nodes.get(1).subscribe(MATCH, "Last-Event-ID", first)) {
      assertThat(resumed.header("Mercure-Last-Event-ID")).isEqualTo("earliest");
      SseEvent gap = resumed.next();
      assertThat(gap.type()).isEqualTo("herald-gap");
      assertThat(gap.data()).contains(first);
      String live = publish(2, "data", "live");
      assertThat(resumed.next().id()).as("live updates only").isEqualTo(live);
    }
  }

  @Test
  @DisplayName("a Redis restarted empty: subscribers are closed, resume at earliest with the gap")
  void redisRestartedEmpty(TestInfo test) throws Exception {
    try (RedisServer volatileRedis = RedisServer.start()) {
      startNodes(test, volatileRedis, s -> s);
      String before = publish(0, "data", "before");
      dispatchedEverywhere(before);
      try (var live = nodes.get(2).subscribe(MATCH)) {
        poll(() -> hubs.get(2).subscribers() == 1);
        volatileRedis.restart(); // same port, no persistence: the history is gone
        assertThat(live.awaitEnd(10_000)).as("a live subscriber is not silently gapped").isTrue();
      }
      // Publishes work again once the nodes joined the new history (within about a second).
      String after = null;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (after == null && System.nanoTime() < deadline) {
        HttpResponse<String> r =
            nodes.get(1).publish(form("topic", BOOKS, "data", "after"), "Authorization", PUBLISHER);
        if (r.statusCode() == 200) {
          after = r.body();
        } else {
          assertThat(r.statusCode()).isEqualTo(503);
          Thread.sleep(100); // the publisher's Retry-After, shortened
        }
      }
      assertThat(after).as("publishes succeed again").isNotNull();
      dispatchedEverywhere(after);
      try (var resumed = nodes.get(0).subscribe(MATCH, "Last-Event-ID", before)) {
        assertThat(resumed.header("Mercure-Last-Event-ID")).isEqualTo("earliest");
        assertThat(resumed.next().type()).isEqualTo("herald-gap");
        String next = publish(2, "data", "next");
        assertThat(resumed.next().id()).isEqualTo(next);
      }
      try (var all = nodes.get(2).subscribe(MATCH, "Last-Event-ID", "earliest")) {
        assertThat(all.next().id()).as("the new history only").isEqualTo(after);
      }
    }
  }

  @Test
  @DisplayName(
      "Redis stopped: publishes get 503 with Retry-After within a second, readyz flips,"
          + " subscribers keep their heartbeats; Redis back: delivery goes on, nothing lost or twice")
  void redisDown(TestInfo test) throws Exception {
    startNodes(test);
    try (var onA = nodes.get(0).subscribe(MATCH);
        var onC = nodes.get(2).subscribe(MATCH)) {
      poll(() -> hubs.get(0).subscribers() == 1 && hubs.get(2).subscribers() == 1);
      String before = publish(1, "data", "before");
      assertThat(onA.next().id()).isEqualTo(before);
      assertThat(onC.next().id()).isEqualTo(before);
      assertThat(nodes.get(1).get("/readyz").statusCode()).isEqualTo(200);

      redis.stop();
      long start = System.nanoTime();
      HttpResponse<String> refused =
          nodes.get(1).publish(form("topic", BOOKS, "data", "lost"), "Authorization", PUBLISHER);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(millis).as("no hang").isLessThan(1500);
      poll(() -> statusOf(1, "/readyz") == 503);
      try (var resuming = nodes.get(2).subscribe(MATCH, "Last-Event-ID", before)) {
        assertThat(resuming.status()).as("history unreadable: the store's rule").isEqualTo(503);
        assertThat(resuming.header("Retry-After")).isEqualTo("1");
      }
      int heartbeats = onA.comments();
      poll(() -> onA.comments() >= heartbeats + 2);
      assertThat(onA.ended()).isFalse();
      assertThat(onC.ended()).isFalse();

      redis.restart(); // with its append-only file: the stream and the epoch are back
      poll(() -> statusOf(0, "/readyz") == 200 && statusOf(1, "/readyz") == 200);
      poll(() -> statusOf(2, "/readyz") == 200);
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        after.add(publish(i % 3, "data", "after" + i));
      }
      assertThat(onA.ids(5)).isEqualTo(after);
      assertThat(onC.ids(5)).isEqualTo(after);
      assertThat(onA.drain(200)).as("no duplicate").isEmpty();
      assertThat(hubs.get(0).scrape()).contains("herald_redis_reconnects_total");
    }
  }

  private int statusOf(int node, String path) {
    try {
      return nodes.get(node).get(path).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("private updates stay private across nodes, live and on replay, re-authorized")
  void privateAcrossNodes(TestInfo test) throws Exception {
    startNodes(test);
    String reader = "Bearer " + token().subscribe(TopicMatcher.exact(BOOKS)).build().mint();
    String first = publish(0, "data", "public before");
    // A node that has not yet dispatched "first" would hand it to a subscriber arriving meanwhile
    // as a live update; the skipped-private assertion below is about "secret" alone.
    dispatchedEverywhere(first);
    try (var anonymous = nodes.get(1).subscribe(MATCH);
        var allowed = nodes.get(2).subscribe(MATCH, "Authorization", reader)) {
      poll(() -> hubs.get(1).subscribers() == 1 && hubs.get(2).subscribers() == 1);
      publish(0, "data", "secret", "private", "on");
      String after = publish(0, "data", "public after");
      assertThat(allowed.next().data()).isEqualTo("secret");
      assertThat(allowed.next().data()).isEqualTo("public after");
      var next = anonymous.next();
      assertThat(next.data()).as("the private update skipped").isEqualTo("public after");
      assertThat(next.id()).isEqualTo(after);
    }
    dispatchedEverywhere(hubs.get(0).lastEventId());
    try (var anonymous = nodes.get(2).subscribe(MATCH, "Last-Event-ID", first);
        var allowed =
            nodes.get(1).subscribe(MATCH, "Authorization", reader, "Last-Event-ID", first)) {
      assertThat(anonymous.next().data()).isEqualTo("public after");
      assertThat(anonymous.drain(200)).isEmpty();
      assertThat(allowed.next().data()).isEqualTo("secret");
      assertThat(allowed.next().data()).isEqualTo("public after");
    }
  }
}
