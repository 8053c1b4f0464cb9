package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateStoreException;
import dev.herald.server.Cursor;
import dev.herald.testing.RedisServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Appends made on a Netty event loop (a publish request's) go out on a Redis connection registered
 * with that loop and complete there; anywhere else, and whenever that connection is missing, on the
 * store's shared one — every append acknowledged either way, in the stream once.
 */
class LoopConnectionsTest {
  private static RedisServer redis;
  private final List<AutoCloseable> open = new ArrayList<>();
  private EventLoopGroup group;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private RedisUpdateStore open(TestInfo test) {
    RedisUpdateStore store =
        RedisUpdateStore.open(
            RedisSettings.builder()
                .uri(redis.uri())
                .streamKey("test:" + test.getTestMethod().orElseThrow().getName())
                .build());
    open.add(store);
    return store;
  }

  private static Update update(String id) {
    return new Update(List.of("https://example.com/a"), id, false, id, null, null);
  }

  /** What an append made on {@code loop} returned, and the thread that completed it. */
  private record Appended(StoredUpdate stored, Thread completedOn) {}

  private static Appended appendOn(EventLoop loop, RedisUpdateStore store, String id)
      throws Exception {
    CompletableFuture<Appended> done =
        loop.submit(
                () ->
                    // registered before the loop can read the reply: it runs where that happens
                    store
                        .append(update(id))
                        .thenApply(s -> new Appended(s, Thread.currentThread())))
            .get(5, TimeUnit.SECONDS);
    return done.get(5, TimeUnit.SECONDS);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** One event loop of {@code io}'s kind, stopped after the test; where Lettuce runs epoll. */
  private EventLoop loopOf(IoHandlerFactory io) {
    Assumptions.assumeTrue(Epoll.isAvailable(), "Lettuce runs epoll here");
    group = new MultiThreadIoEventLoopGroup(1, io);
    return group.next();
  }

  private static Thread threadOf(EventLoop loop) throws Exception {
    return loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("an append on an event loop completes on that loop once its connection is open")
  void appendsCompleteOnTheirLoop(TestInfo test) throws Exception {
    EventLoop loop = loopOf(EpollIoHandler.newFactory()); // Lettuce and the loop both on epoll
    RedisUpdateStore store = open(test);

    appendOn(loop, store, "a-1"); // the loop's connection is still being made: the shared one
    await(() -> store.loopConnectionsOpen() == 1);
    Appended second = appendOn(loop, store, "a-2");
    Appended third = appendOn(loop, store, "a-3");

    assertThat(second.completedOn()).isEqualTo(threadOf(loop));
    assertThat(third.completedOn()).isEqualTo(threadOf(loop));
    assertThat(store.read(Cursor.START, third.stored().cursor(), 10).orElseThrow())
        .extracting(u -> u.update().id())
        .containsExactly("a-1", "a-2", "a-3");
    // off any loop: the shared connection, as before
    assertThat(store.append(update("a-4")).join().cursor().isAfter(third.stored().cursor()))
        .isTrue();
  }

  @Test
  @DisplayName(
      "a loop's connection that Redis closed is replaced; appends meanwhile use the shared")
  void aClosedLoopConnectionIsReplaced(TestInfo test) throws Exception {
    EventLoop loop = loopOf(EpollIoHandler.newFactory()); // Lettuce and the loop both on epoll
    RedisUpdateStore store = open(test);
    appendOn(loop, store, "b-1");
    await(() -> store.loopConnectionsOpen() == 1);

    redis.command("CLIENT", "KILL", "TYPE", "normal"); // the shared one reconnects by itself
    await(() -> store.loopConnectionsOpen() == 0);
    List<String> acknowledged = new ArrayList<>(List.of("b-1"));
    for (int i = 2; store.loopConnectionsOpen() == 0; i++) {
      try {
        appendOn(loop, store, "b-" + i);
        acknowledged.add("b-" + i);
      } catch (ExecutionException refused) { // while the shared one reconnects: 503 to a publisher
        assertThat(refused).hasCauseInstanceOf(UpdateStoreException.class);
      }
      Thread.sleep(20);
      assertThat(i).as("a new loop connection within about a second").isLessThan(200);
    }
    Appended after = appendOn(loop, store, "b-last");
    acknowledged.add("b-last");
    assertThat(after.completedOn()).isEqualTo(threadOf(loop));
    assertThat(store.read(Cursor.START, after.stored().cursor(), 1000).orElseThrow())
        .extracting(u -> u.update().id())
        .containsExactlyElementsOf(acknowledged);
  }

  @Test
  @DisplayName("a loop whose transport Lettuce does not use keeps the shared connection")
  void anIncompatibleLoopUsesTheSharedConnection(TestInfo test) throws Exception {
    EventLoop loop = loopOf(NioIoHandler.newFactory()); // Lettuce on epoll, the loop on NIO
    RedisUpdateStore store = open(test);
    appendOn(loop, store, "c-1");
    await(() -> store.loopConnectionsRefused() == 1); // it could not be registered with the loop
    Appended later = appendOn(loop, store, "c-2");
    assertThat(store.loopConnectionsOpen()).isZero();
    assertThat(store.read(Cursor.START, later.stored().cursor(), 10).orElseThrow())
        .extracting(u -> u.update().id())
        .containsExactly("c-1", "c-2");
  }
}
