package dev.herald.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path and query parameters of a request target, decoded as a {@link Request} holds them: the
 * path percent-decoded as UTF-8 ({@code +} stays), the parameters split at {@code &} and {@code ;},
 * each {@code name=value} with {@code +} as a space, at most {@value #MAX_PARAMETERS} of them.
 * Anything after a {@code #} is not part of the target.
 */
final class UriDecoding {
  /** The most query parameters decoded. */
  static final int MAX_PARAMETERS = 1024;

  private UriDecoding() {}

  /**
   * The decoded path of {@code uri}.
   *
   * @throws IllegalArgumentException if it holds a malformed percent-escape
   */
  static String path(String uri) {
    String path = uri.substring(0, end(uri, 0, uri.length(), "?#"));
    return path.indexOf('%') < 0 ? path : decode(path.replace("+", "%2B"));
  }

  /**
   * The decoded query parameters of {@code uri}, in order; an empty map if it has no query.
   *
   * @throws IllegalArgumentException if one holds a malformed percent-escape
   */
  static Map<String, List<String>> query(String uri) {
    int start = end(uri, 0, uri.length(), "?#");
    if (start == uri.length() || uri.charAt(start) != '?') {
      return Map.of();
    }
    int stop = end(uri, start, uri.length(), "#");
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    int count = 0;
    for (int at = start + 1; at <= stop && count < MAX_PARAMETERS; ) {
      int next = end(uri, at, stop, "&;");
      String parameter = uri.substring(at, next);
      int equals = parameter.indexOf('=');
      String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
      if (!name.isEmpty()) {
        String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
        parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        count++;
      }
      at = next + 1;
    }
    return parameters;
  }

  /** The index of the first of {@code chars} in {@code s} from {@code from}, else {@code to}. */
  private static int end(String s, int from, int to, String chars) {
    for (int i = from; i < to; i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return to;
  }

  private static String decode(String s) {
    boolean plain = s.indexOf('%') < 0 && s.indexOf('+') < 0;
    return plain ? s : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
