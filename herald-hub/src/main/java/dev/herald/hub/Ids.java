package dev.herald.hub;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Hub-generated identifiers, as {@code urn:uuid:} URNs.
 *
 * <p>An update's ID is a time-ordered UUID (version 7, RFC 9562): the millisecond it was made, then
 * 74 random bits. IDs made later sort later, so a store's index of them grows at its end instead of
 * touching a random page of it for every update (a durable store writes each page it touches at
 * every commit). It tells a subscriber when the update was published, to the millisecond, which a
 * subscriber receiving it live knows anyway; nothing about how many updates the hub has published.
 * A subscriber's ID is random (version 4): it says nothing about when it subscribed.
 */
final class Ids {
  private static final String URN = "urn:uuid:";

  // One generator per thread: UUID.randomUUID shares one, behind a lock, between all threads.
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(SecureRandom::new);

  private Ids() {}

  /** A new update's ID: a version 7 UUID URN made at {@code System.currentTimeMillis()}. */
  static String update() {
    return update(System.currentTimeMillis());
  }

  /** A version 7 UUID URN made at {@code epochMillis}. */
  static String update(long epochMillis) {
    SecureRandom random = RANDOM.get();
    long randA = random.nextInt() & 0xFFFL;
    long randB = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL;
    long most = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long least = 0x8000_0000_0000_0000L | randB;
    return URN + new UUID(most, least);
  }

  private static SecureRandom generator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** A new subscriber's ID: a random (version 4) UUID URN. */
  static String subscriber() {
    return URN + UUID.randomUUID();
  }
}
