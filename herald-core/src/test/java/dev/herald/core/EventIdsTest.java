package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Event IDs: time-ordered UUID URNs (RFC 9562, version 7), as a Mercure hub makes them. */
class EventIdsTest {
  private static UUID uuidOf(String urn) {
    assertThat(urn).startsWith("urn:uuid:");
    UUID uuid = UUID.fromString(urn.substring("urn:uuid:".length()));
    assertThat(uuid.toString()).isEqualTo(urn.substring("urn:uuid:".length())); // canonical form
    return uuid;
  }

  @Test
  @DisplayName("an ID is a version 7 UUID of the RFC 9562 variant, carrying its millisecond")
  void anIdIsVersion7WithItsMillisecond() {
    long millis = 1_765_000_000_123L;
    UUID uuid = uuidOf(EventIds.at(millis));
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2); // the RFC's variant: bits 10
    assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(millis); // unix_ts_ms, 48 bits
    assertThat(uuidOf(EventIds.next()).version()).isEqualTo(7);
  }

  @Test
  @DisplayName("IDs made in later milliseconds sort later, as text: an index grows at its end")
  void laterIdsSortLater() {
    List<String> ids = new ArrayList<>();
    for (long millis = 1_765_000_000_000L; millis < 1_765_000_000_000L + 1000; millis += 7) {
      ids.add(EventIds.at(millis));
    }
    assertThat(ids).isSorted();
  }

  @Test
  @DisplayName("IDs of the same millisecond differ, in their 12 + 62 random bits")
  void idsOfOneMillisecondDiffer() {
    Set<String> ids = new HashSet<>();
    Set<Long> randA = new HashSet<>();
    Set<Long> randBHighs = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      UUID uuid = uuidOf(EventIds.at(1_765_000_000_000L));
      ids.add(uuid.toString());
      randA.add(uuid.getMostSignificantBits() & 0xFFF);
      randBHighs.add(uuid.getLeastSignificantBits() >>> 50 & 0xFFF); // rand_b's top 12 bits
    }
    assertThat(ids).hasSize(100_000);
    assertThat(randA).hasSizeGreaterThan(4000); // all 4,096 values, or nearly
    assertThat(randBHighs).hasSizeGreaterThan(4000);
  }

  @Test
  @DisplayName("threads making IDs at once never make the same one")
  void threadsMakeDistinctIds() throws InterruptedException {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  ids.add(EventIds.at(1_765_000_000_000L));
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(ids).hasSize(160_000);
  }
}
