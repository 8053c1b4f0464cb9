package dev.herald.hub;

import java.util.UUID;

/** Hub-generated identifiers: random UUID URNs, which say nothing about order or timing. */
final class Ids {
  private Ids() {}

  static String generate() {
    return "urn:uuid:" + UUID.randomUUID();
  }
}
