package dev.herald.hub;

import dev.herald.core.EventIds;
import java.util.UUID;

/**
 * Hub-generated identifiers, {@code urn:uuid:} URNs. An update's is time-ordered ({@link EventIds}:
 * the millisecond, then random bits), so that a store's index of IDs grows at its end; the
 * subscription API's {@code lastEventID} and a replay's IDs thereby tell when an update was
 * published, to the millisecond, but nothing about how many were. A subscriber's ID is random
 * (version 4): it says nothing about when it subscribed.
 */
final class Ids {
  private Ids() {}

  /** A new update's ID. */
  static String update() {
    return EventIds.next();
  }

  /** A new subscriber's ID: a random (version 4) UUID URN. */
  static String subscriber() {
    return "urn:uuid:" + UUID.randomUUID();
  }
}
