package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The IDs the hub makes: time-ordered for updates (RFC 9562, version 7), random for subscribers.
 */
class IdsTest {
  private static UUID uuidOf(String urn) {
    assertThat(urn).startsWith("urn:uuid:");
    UUID uuid = UUID.fromString(urn.substring("urn:uuid:".length()));
    assertThat(uuid.toString()).isEqualTo(urn.substring("urn:uuid:".length())); // canonical form
    return uuid;
  }

  @Test
  @DisplayName(
      "an update's ID is a version 7 UUID of the RFC 9562 variant, carrying its millisecond")
  void anUpdateIdIsVersion7WithItsMillisecond() {
    long millis = 1_765_000_000_123L;
    UUID uuid = uuidOf(Ids.update(millis));
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2); // the RFC's variant: bits 10
    assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(millis); // unix_ts_ms, 48 bits
  }

  @Test
  @DisplayName(
      "update IDs made in later milliseconds sort later, as text: an index grows at its end")
  void laterIdsSortLater() {
    List<String> ids = new ArrayList<>();
    for (long millis = 1_765_000_000_000L; millis < 1_765_000_000_000L + 1000; millis += 7) {
      ids.add(Ids.update(millis));
    }
    assertThat(ids).isSorted();
    String earlier = Ids.update(System.currentTimeMillis() - 1);
    assertThat(Ids.update()).isGreaterThan(earlier);
  }

  @Test
  @DisplayName("update IDs of the same millisecond differ: 74 random bits each")
  void idsOfOneMillisecondDiffer() {
    Set<String> ids = new HashSet<>();
    Set<Long> randA = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = Ids.update(1_765_000_000_000L);
      ids.add(id);
      randA.add(uuidOf(id).getMostSignificantBits() & 0xFFF);
    }
    assertThat(ids).hasSize(100_000);
    assertThat(randA).hasSizeGreaterThan(4000); // all 4,096 values of rand_a, or nearly
  }

  @Test
  @DisplayName("a subscriber's ID is a random (version 4) UUID: it says nothing about when")
  void aSubscriberIdIsRandom() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Ids.subscriber();
      assertThat(uuidOf(id).version()).isEqualTo(4);
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }
}
