package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.SqliteUpdateStore;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateLog;
import dev.herald.server.Cursor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub embedded in an application: publishing with a method call, its cursor, its limits. */
class EmbeddedHubTest {
  @TempDir Path dir;

  @Test
  @DisplayName("hub.publish stores and dispatches like a POST; an invalid update fails, naming why")
  void publishFromJava() throws Exception {
    try (Hub hub =
        Hub.builder().port(0).anonymousSubscribers(true).dashboard(false).build().start()) {
      assertThat(hub.lastEventId()).isEqualTo("earliest");
      HubClient client = new HubClient(hub);
      try (var sub = client.subscribe("match=news")) {
        String id = hub.publish(Update.of("news", "from Java")).join();
        assertThat(id).startsWith("urn:uuid:");
        assertThat(sub.next().data()).isEqualTo("from Java");
        assertThat(hub.lastEventId()).isEqualTo(id);
      }
      assertThatThrownBy(() -> hub.publish(Update.of("*", "x")).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("wildcard");
    }
  }

  @Test
  @DisplayName("a hub names itself by the address it binds: 0.0.0.0 as localhost, IPv6 in brackets")
  void urlOfAnAddress() {
    assertThat(Hub.url(false, "0.0.0.0", 8080, Hub.DEFAULT_PATH))
        .isEqualTo("http://localhost:8080/.well-known/mercure");
    assertThat(Hub.url(true, "::1", 8443, Hub.DEFAULT_PATH))
        .isEqualTo("https://[::1]:8443/.well-known/mercure");
    try (Hub hub = Hub.builder().port(0).dashboard(false).build().start()) {
      assertThat(hub.url())
          .isEqualTo(Hub.url(false, "127.0.0.1", hub.port(), Hub.DEFAULT_PATH))
          .startsWith("http://127.0.0.1:");
    }
    assertThatThrownBy(() -> Hub.builder().maxConnectionLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnectionLifetime must be positive");
  }

  private static Hub sqliteHub(Path db) {
    return Hub.builder()
        .port(0)
        .store(SqliteUpdateStore.builder().path(db).build())
        .dashboard(false)
        .build()
        .start();
  }

  @Test
  @DisplayName("a restarted hub's cursor is the last update its store holds")
  void cursorAfterRestart() throws Exception {
    Path db = dir.resolve("herald.db");
    String last;
    try (Hub hub = sqliteHub(db)) {
      hub.publish(Update.of("a", "1")).join();
      last = hub.publish(Update.of("a", "2")).join();
    }
    try (Hub hub = sqliteHub(db)) {
      assertThat(hub.lastEventId()).isEqualTo(last);
    }
  }

  /** A store whose disk never answers: appends stay pending. */
  private static final class StalledStore implements UpdateLog {
    @Override
    public void publishTo(UpdateBus bus) {}

    @Override
    public CompletableFuture<StoredUpdate> append(Update update) {
      return new CompletableFuture<>();
    }

    @Override
    public Optional<Cursor> cursorOf(String id) {
      return Optional.empty();
    }

    @Override
    public Optional<List<StoredUpdate>> read(Cursor after, Cursor upTo, int limit) {
      return Optional.of(List.of());
    }

    @Override
    public Optional<StoredUpdate> newest() {
      return Optional.empty();
    }

    @Override
    public Cursor last() {
      return Cursor.START;
    }

    @Override
    public Cursor lastEvicted() {
      return Cursor.START;
    }

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  @DisplayName(
      "publishes waiting for a stalled store are capped: past the cap, 503 at once, saying why")
  void pendingPublishesCapped() throws Exception {
    try (Hub hub =
        Hub.builder()
            .port(0)
            .store(new StalledStore())
            .anonymousPublishers(true)
            .maxPendingPublishes(2)
            .dashboard(false)
            .build()
            .start()) {
      hub.publish(Update.of("a", "1"));
      hub.publish(Update.of("a", "2"));
      HttpResponse<String> refused = new HubClient(hub).publish(form("topic", "a", "data", "3"));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      assertThat(refused.body()).isEqualTo("more than 2 publishes wait for the store");
    }
  }
}
