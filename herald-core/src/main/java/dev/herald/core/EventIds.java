package dev.herald.core;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Event IDs in the form Mercure hubs give them, {@code urn:uuid:} URNs, time-ordered (Herald's hub
 * makes these; others make random ones, version 4): a UUID of RFC 9562's version 7, the millisecond
 * it was made (48 bits), then 74 random bits. IDs made in later milliseconds sort later, as text
 * too, so that a store's index of them grows at its end instead of touching a random page of it for
 * every event (a durable store writes each page it touches at every commit: with random IDs, most
 * of its work).
 *
 * <p>An ID tells when its event was made, to the millisecond; nothing about how many were made. The
 * random bits come from a few {@link SecureRandom} DRBG generators, one picked by the calling
 * thread's ID, rather than from {@link UUID#randomUUID()}'s single generator behind one lock.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class EventIds {
  private static final String URN = "urn:uuid:";

  // A power of two, at least twice the processors: few threads ever wait for one another.
  private static final SecureRandom[] GENERATORS =
      newGenerators(Integer.highestOneBit(Runtime.getRuntime().availableProcessors()) * 4);

  private EventIds() {}

  /** A new ID, made now ({@link System#currentTimeMillis()}). */
  public static String next() {
    return at(System.currentTimeMillis());
  }

  /**
   * A new ID made at {@code epochMillis} (milliseconds since 1970-01-01T00:00:00Z, its lowest 48
   * bits).
   */
  public static String at(long epochMillis) {
    byte[] bits = new byte[10]; // 80 random bits, of which 74 are used: one call to the generator
    GENERATORS[(int) Thread.currentThread().getId() & (GENERATORS.length - 1)].nextBytes(bits);
    long randA = (bits[0] & 0x0FL) << 8 | (bits[1] & 0xFFL);
    long randB = 0;
    for (int i = 2; i < 10; i++) {
      randB = randB << 8 | (bits[i] & 0xFFL);
    }
    randB &= 0x3FFF_FFFF_FFFF_FFFFL;
    long most = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA; // version 7
    long least = 0x8000_0000_0000_0000L | randB; // the RFC's variant: 10
    return URN + new UUID(most, least);
  }

  private static SecureRandom[] newGenerators(int count) {
    SecureRandom[] generators = new SecureRandom[count];
    for (int i = 0; i < count; i++) {
      try {
        generators[i] = SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        generators[i] = new SecureRandom();
      }
    }
    return generators;
  }
}
