package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;

/** Size estimates for byte-bounded retention. */
final class UpdateSizes {
  /** What an update costs beyond its strings: record headers, the sequence, time and flags. */
  static final int OVERHEAD = 64;

  private UpdateSizes() {}

  /** An estimate of the heap an update takes: its strings in UTF-16 plus a fixed overhead. */
  static long utf16(Update update) {
    long chars = length(update.id()) + length(update.data()) + length(update.type());
    for (String topic : update.topics()) {
      chars += topic.length() + 8;
    }
    return OVERHEAD + 2 * chars;
  }

  /** The number of bytes {@code s} takes in UTF-8, 0 for {@code null}. */
  static long utf8(String s) {
    if (s == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
