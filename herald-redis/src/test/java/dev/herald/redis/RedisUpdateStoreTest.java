package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateStoreException;
import dev.herald.server.Cursor;
import dev.herald.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The Redis store against the {@code UpdateLog} and {@code UpdateBus} contracts, on a real {@code
 * redis-server} (small stream nodes, so that approximate trimming bites at small counts).
 */
class RedisUpdateStoreTest {
  private static RedisServer redis;
  private final List<AutoCloseable> open = new ArrayList<>();
  private String key;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.builder().args("--stream-node-max-entries", "5").start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeStores() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private RedisSettings.Builder settings(TestInfo test) {
    key = "test:" + test.getTestMethod().orElseThrow().getName();
    return RedisSettings.builder().uri(redis.uri()).streamKey(key);
  }

  private RedisUpdateStore open(RedisSettings settings) {
    RedisUpdateStore store = RedisUpdateStore.open(settings);
    open.add(store);
    return store;
  }

  private static Update update(String id, String data) {
    return new Update(List.of("https://example.com/a", "urn:x:b"), data, false, id, null, null);
  }

  @Test
  @DisplayName("appends get increasing stream-ID cursors; reads page after a cursor, exclusive")
  void appendAndRead(TestInfo test) {
    RedisUpdateStore store = open(settings(test).build());
    Update withAll =
        new Update(List.of("https://example.com/1", "a:b"), "x\ny", true, "id-1", "t", 250L);
    StoredUpdate first = store.append(withAll).join();
    StoredUpdate second = store.append(update("id-2", null)).join();
    StoredUpdate third = store.append(update("id-3", "3")).join();
    assertThat(second.cursor().isAfter(first.cursor())).isTrue();
    assertThat(third.cursor().isAfter(second.cursor())).isTrue();

    List<StoredUpdate> all = store.read(Cursor.START, third.cursor(), 10).orElseThrow();
    assertThat(all).extracting(u -> u.update().id()).containsExactly("id-1", "id-2", "id-3");
    assertThat(all.get(0).update()).isEqualTo(withAll); // every field survives the stream
    assertThat(all.get(1).update().data()).isNull();
    assertThat(store.read(first.cursor(), third.cursor(), 10).orElseThrow())
        .extracting(u -> u.update().id())
        .containsExactly("id-2", "id-3");
    assertThat(store.read(first.cursor(), second.cursor(), 10).orElseThrow()).hasSize(1);
    assertThat(store.read(Cursor.START, third.cursor(), 1).orElseThrow()).hasSize(1);
    assertThat(store.read(Cursor.START, third.cursor(), 0).orElseThrow()).isEmpty();
    assertThat(store.cursorOf("id-2")).contains(second.cursor());
    assertThat(store.cursorOf("unknown")).isEmpty();
    assertThat(store.newest().orElseThrow().update().id()).isEqualTo("id-3");
    assertThat(store.last()).isEqualTo(third.cursor());
    assertThat(store.isHealthy()).isTrue();
  }

  @Test
  @DisplayName("a repeated ID resolves to its earliest update")
  void repeatedId(TestInfo test) {
    RedisUpdateStore store = open(settings(test).build());
    StoredUpdate first = store.append(update("same", "1")).join();
    store.append(update("same", "2")).join();
    assertThat(store.cursorOf("same")).contains(first.cursor());
  }

  @Test
  @DisplayName("retention trims the stream and the ID lookup alike; a read before it is a gap")
  void retention(TestInfo test) {
    RedisUpdateStore store = open(settings(test).maxLength(10).build());
    List<StoredUpdate> stored = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      stored.add(store.append(update("r" + i, "d")).join());
    }
    long length = (Long) redis.command("XLEN", key);
    long ids = (Long) redis.command("HLEN", key + ":ids");
    long order = (Long) redis.command("ZCARD", key + ":order");
    assertThat(length).isBetween(10L, 15L); // MAXLEN ~ 10 with nodes of 5 entries
    assertThat(ids).as("the lookup is trimmed with the stream").isLessThan(60).isEqualTo(order);
    Cursor evicted = store.lastEvicted();
    assertThat(evicted.isAfter(stored.get(200).cursor())).isTrue();
    assertThat(store.cursorOf("r0")).isEmpty();
    assertThat(store.read(stored.get(0).cursor(), store.last(), 10)).as("a gap").isEmpty();
    assertThat(store.read(evicted, store.last(), 100).orElseThrow())
        .extracting(u -> u.update().id())
        .endsWith("r299");
    assertThat(store.cursorOf("r299")).contains(stored.get(299).cursor());
  }

  @Test
  @DisplayName("the log refuses publishTo and the bus refuses publish: XADD is the bus")
  void streamIsTheBus(TestInfo test) {
    RedisUpdateStore store = open(settings(test).build());
    assertThatThrownBy(() -> store.publishTo(store.bus()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> store.bus().publish(List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** A bus listener that records what it gets. */
  private static final class Recorder implements UpdateBus.Listener {
    final BlockingQueue<StoredUpdate> updates = new LinkedBlockingQueue<>();
    final AtomicInteger batches = new AtomicInteger();
    final CountDownLatch lost = new CountDownLatch(1);

    @Override
    public void onUpdates(List<StoredUpdate> batch) {
      batches.incrementAndGet();
      updates.addAll(batch);
    }

    @Override
    public void onHistoryLost() {
      lost.countDown();
    }

    String nextId() throws InterruptedException {
      StoredUpdate u = updates.poll(10, TimeUnit.SECONDS);
      assertThat(u).as("an update within 10 s").isNotNull();
      return u.update().id();
    }
  }

  @Test
  @DisplayName("the bus delivers what any store appends, from the cursor it was given, in order")
  void busDeliversEveryNode(TestInfo test) throws Exception {
    RedisSettings settings = settings(test).build();
    RedisUpdateStore a = open(settings);
    RedisUpdateStore b = open(settings);
    StoredUpdate before = a.append(update("before", "0")).join();
    Recorder onB = new Recorder();
    b.bus().listen(before.cursor(), onB);
    for (int i = 0; i < 20; i++) {
      (i % 2 == 0 ? a : b).append(update("u" + i, "x")).join();
    }
    for (int i = 0; i < 20; i++) {
      assertThat(onB.nextId()).isEqualTo("u" + i);
    }
    assertThat(onB.updates.poll(200, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
  }

  @Test
  @DisplayName(
      "the bus's connection killed: it reconnects and goes on after the last entry it delivered,"
          + " nothing skipped, nothing twice")
  void busReconnects(TestInfo test) throws Exception {
    RedisUpdateStore store = open(settings(test).nodeName("reconnecting").build());
    Recorder listener = new Recorder();
    store.bus().listen(store.last(), listener);
    store.append(update("first", "1")).join();
    assertThat(listener.nextId()).isEqualTo("first");
    long killed = 0;
    for (String client : String.valueOf(redis.command("CLIENT", "LIST")).split("\n")) {
      if (client.contains("name=herald:reconnecting") && client.contains("cmd=xread")) {
        String id = client.substring(3, client.indexOf(' '));
        killed += (Long) redis.command("CLIENT", "KILL", "ID", id);
      }
    }
    assertThat(killed).as("the reader's connection, blocked in XREAD").isEqualTo(1);
    List<String> appended = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      appended.add(store.append(update("after" + i, "x")).join().update().id());
    }
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      delivered.add(listener.nextId());
    }
    assertThat(delivered).isEqualTo(appended);
    assertThat(listener.updates.poll(300, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    HubHttp.poll(() -> store.metrics().reconnects() >= 1);
  }

  @Test
  @DisplayName("a flushed Redis is a lost history: appends refuse, the bus says so, then resumes")
  void lostHistory(TestInfo test) throws Exception {
    RedisUpdateStore store = open(settings(test).build());
    Recorder listener = new Recorder();
    store.bus().listen(store.last(), listener);
    StoredUpdate old = store.append(update("old", "1")).join();
    assertThat(listener.nextId()).isEqualTo("old");
    redis.command("DEL", key, key + ":epoch");
    assertThat(listener.lost.await(10, TimeUnit.SECONDS)).as("told of the loss").isTrue();
    StoredUpdate fresh = store.append(update("new", "2")).join();
    assertThat(fresh.cursor().isAfter(old.cursor())).isTrue();
    assertThat(listener.nextId()).isEqualTo("new");
    assertThat(store.cursorOf("old")).isEmpty();
    assertThat(store.read(Cursor.START, fresh.cursor(), 10))
        .as("a gap before the new history")
        .isEmpty();
    assertThat(store.lastEvicted().compareTo(old.cursor())).isGreaterThanOrEqualTo(0);
  }

  @Test
  @DisplayName("a stream gone back behind what the bus delivered (same epoch) is a lost history")
  void streamWentBack(TestInfo test) throws Exception {
    RedisUpdateStore store = open(settings(test).build());
    Recorder listener = new Recorder();
    store.bus().listen(store.last(), listener);
    StoredUpdate delivered = store.append(update("seen", "1")).join();
    assertThat(listener.nextId()).isEqualTo("seen");
    // As a failover to a replica that had not received the last entries: same epoch, older stream.
    redis.command("DEL", key);
    redis.command("XADD", key, "1-1", "id", "older", "topics", "1:t");
    assertThat(listener.lost.await(10, TimeUnit.SECONDS)).as("told of the loss").isTrue();
    StoredUpdate next = store.append(update("next", "2")).join();
    assertThat(next.cursor().isAfter(delivered.cursor())).as("the stream moved past it").isTrue();
    assertThat(listener.nextId()).isEqualTo("next");
  }

  @Test
  @DisplayName(
      "a bus that fell behind further than retention keeps is told: never a silent skip of what"
          + " was trimmed before it read it")
  void trimmedPastTheBus(TestInfo test) throws Exception {
    RedisSettings settings = settings(test).maxLength(100).build();
    RedisUpdateStore publisher = open(settings);
    RedisUpdateStore slow = open(settings);
    CountDownLatch release = new CountDownLatch(1);
    Recorder recorder = new Recorder();
    UpdateBus.Listener stalled =
        new UpdateBus.Listener() {
          @Override
          public void onUpdates(List<StoredUpdate> batch) {
            try {
              release.await(); // as a node paused or cut off from Redis
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            recorder.onUpdates(batch);
          }

          @Override
          public void onHistoryLost() {
            recorder.onHistoryLost();
          }
        };
    slow.bus().listen(slow.last(), stalled);
    publisher.append(update("first", "0")).join();
    for (int i = 0; i < 1_000; i++) {
      publisher.append(update("u" + i, "x")).join();
    }
    assertThat(publisher.lastEvicted().compareTo(Cursor.START)).as("trimmed").isPositive();
    Thread.sleep(
        300); // stalled for longer than the bus's stall check (200 ms) whatever the machine
    release.countDown();
    assertThat(recorder.lost.await(10, TimeUnit.SECONDS))
        .as("told that entries it had not read were trimmed")
        .isTrue();
    assertThat(recorder.nextId()).isEqualTo("first");
  }

  @Test
  @DisplayName("retention by age trims entries older than maxAge, by Redis's clock")
  void retentionByAge(TestInfo test) throws Exception {
    RedisUpdateStore store = open(settings(test).maxAge(Duration.ofMillis(200)).build());
    for (int i = 0; i < 20; i++) {
      store.append(update("old" + i, "x")).join();
    }
    Thread.sleep(300); // age is what is tested: the entries must grow older than maxAge
    StoredUpdate young = store.append(update("young", "y")).join();
    long length = (Long) redis.command("XLEN", key);
    assertThat(length).isLessThan(6); // at most one node of 5 kept
    assertThat((Long) redis.command("HLEN", key + ":ids"))
        .as("the lookup forgot the IDs of the entries trimmed by age")
        .isLessThanOrEqualTo(length)
        .isEqualTo(redis.command("ZCARD", key + ":order"));
    assertThat(store.cursorOf("old0")).isEmpty();
    assertThat(store.read(store.lastEvicted(), young.cursor(), 100).orElseThrow())
        .extracting(u -> u.update().id())
        .endsWith("young");
  }

  @Test
  @DisplayName("an append made under an epoch that changed fails, saying the history was reset")
  void appendUnderOldEpoch(TestInfo test) {
    RedisUpdateStore store = open(settings(test).build());
    redis.command("SET", key + ":epoch", "another");
    assertThatThrownBy(() -> store.append(update("x", "1")).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UpdateStoreException.class)
        .hasMessageContaining("reset");
  }

  @Test
  @DisplayName("WAIT: an append fails when fewer replicas than asked have it, succeeds with them")
  void waitForReplicas(TestInfo test) throws Exception {
    RedisUpdateStore alone =
        open(settings(test).waitReplicas(1).waitTimeout(Duration.ofMillis(100)).build());
    assertThatThrownBy(() -> alone.append(update("w0", "1")).join())
        .hasCauseInstanceOf(UpdateStoreException.class)
        .hasMessageContaining("0 of 1 replicas");
    try (RedisServer replica =
        RedisServer.builder()
            .args("--replicaof", "127.0.0.1", Integer.toString(redis.port()))
            .start()) {
      HubHttp.poll(
          () ->
              String.valueOf(replica.command("INFO", "replication"))
                  .contains("master_link_status:up"));
      RedisUpdateStore replicated =
          open(settings(test).waitReplicas(1).waitTimeout(Duration.ofSeconds(5)).build());
      List<StoredUpdate> stored = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        stored.add(replicated.append(update("w" + i, "1")).join());
      }
      assertThat(stored).hasSize(20);
      assertThat(replica.command("XLEN", key)).isEqualTo(redis.command("XLEN", key));
    }
  }

  @Test
  @DisplayName("the password never reaches the log, nor the settings' toString")
  void passwordRedacted(TestInfo test) throws Exception {
    String secret = "s3cret-pa55word-xyz";
    try (RedisServer guarded = RedisServer.builder().args("--requirepass", secret).start()) {
      RedisSettings settings =
          RedisSettings.builder()
              .uri("redis://:" + secret + "@127.0.0.1:" + guarded.port())
              .streamKey("test:password")
              .build();
      assertThat(settings.toString()).doesNotContain(secret).contains("***@127.0.0.1");
      RedisUpdateStore store = open(settings);
      store.append(update("p", "1")).join();
      assertThat(store.toString()) // what the dashboard's settings show
          .doesNotContain(secret)
          .isEqualTo(
              "RedisUpdateStore[redis://***@127.0.0.1:"
                  + guarded.port()
                  + ", stream test:password; at most about 1000000 updates, at most PT168H old]");
      assertThatThrownBy(
              () ->
                  RedisUpdateStore.open(
                      settings.toBuilder()
                          .uri("redis://:wrong-" + secret + "@127.0.0.1:" + guarded.port())
                          .build()))
          .isInstanceOf(UpdateStoreException.class)
          .hasMessageNotContaining(secret);
    }
    Path log = Path.of("target", "redis-test.log");
    if (Files.exists(log)) {
      assertThat(Files.readString(log)).doesNotContain(secret);
    }
  }
}
