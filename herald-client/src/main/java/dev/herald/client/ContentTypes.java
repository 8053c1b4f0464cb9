package dev.herald.client;

import java.util.List;
import java.util.Locale;

/** The {@code Content-Type} check of S-43, on the MIME type's essence as Fetch extracts it. */
final class ContentTypes {
  static final String EVENT_STREAM = "text/event-stream";
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  private ContentTypes() {}

  /**
   * Whether the {@code Content-Type} values name {@code text/event-stream}, whatever their
   * parameters ({@code charset} is ignored, S-01): the last valid MIME type among them counts.
   */
  static boolean isEventStream(List<String> values) {
    String essence = null;
    for (String value : values) {
      for (String type : value.split(",", -1)) {
        String e = essence(type);
        if (e != null) {
          essence = e;
        }
      }
    }
    return EVENT_STREAM.equals(essence);
  }

  /** The lower-case {@code type/subtype} of {@code mimeType}, or {@code null} if it is invalid. */
  static String essence(String mimeType) {
    int semicolon = mimeType.indexOf(';');
    String e = (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).strip();
    int slash = e.indexOf('/');
    if (slash <= 0 || slash == e.length() - 1 || !isToken(e, 0, slash)) {
      return null;
    }
    if (!isToken(e, slash + 1, e.length())) {
      return null;
    }
    return e.toLowerCase(Locale.ROOT);
  }

  private static boolean isToken(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = c < 128 && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
