package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
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
    return UUID.fromString(urn.substring("urn:uuid:".length()));
  }

  @Test
  @DisplayName("an update's ID is a version 7 UUID URN made now")
  void anUpdateIdIsTimeOrdered() {
    long before = System.currentTimeMillis();
    UUID uuid = uuidOf(Ids.update());
    long after = System.currentTimeMillis();
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);
  }

  @Test
  @DisplayName("a subscriber's ID is a random (version 4) UUID: it says nothing about when")
  void aSubscriberIdIsRandom() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Ids.subscriber();
      UUID uuid = uuidOf(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }
}
