package dev.herald.urlpattern;

import java.util.Locale;

/**
 * The basic URL parser of the URL Standard, with the state overrides the URL Pattern standard uses
 * for canonicalization. Validation errors are not reported; only failure is.
 */
final class UrlParser {
  /** The parser's states; a state override is one of them. */
  enum State {
    SCHEME_START,
    SCHEME,
    NO_SCHEME,
    SPECIAL_RELATIVE_OR_AUTHORITY,
    PATH_OR_AUTHORITY,
    RELATIVE,
    RELATIVE_SLASH,
    SPECIAL_AUTHORITY_SLASHES,
    SPECIAL_AUTHORITY_IGNORE_SLASHES,
    AUTHORITY,
    HOST,
    HOSTNAME,
    PORT,
    FILE,
    FILE_SLASH,
    FILE_HOST,
    PATH_START,
    PATH,
    OPAQUE_PATH,
    QUERY,
    FRAGMENT
  }

  private static final int EOF = -1;
  private static final int CONTINUE = 0;
  private static final int DONE = 1;
  private static final int FAILURE = 2;

  private final int[] input;
  private final UrlRecord base;
  private final UrlRecord url;
  private final State override;
  private final StringBuilder buffer = new StringBuilder();
  private State state;
  private int pointer;
  private boolean atSignSeen;
  private boolean insideBrackets;
  private boolean passwordTokenSeen;

  private UrlParser(String input, UrlRecord base, UrlRecord url, State override) {
    String cleaned = url == null ? trimC0ControlOrSpace(input) : input;
    this.input = cleaned.codePoints().filter(c -> c != '\t' && c != '\n' && c != '\r').toArray();
    this.base = base;
    this.url = url == null ? new UrlRecord() : url;
    this.override = override;
    this.state = override == null ? State.SCHEME_START : override;
  }

  /** Parses {@code input} against {@code base} (may be null); returns null for failure. */
  static UrlRecord parse(String input, UrlRecord base) {
    UrlParser parser = new UrlParser(input, base, null, null);
    return parser.run() ? parser.url : null;
  }

  /** Parses {@code input} into {@code url} from the state {@code override}; false for failure. */
  static boolean parseInto(String input, UrlRecord url, State override) {
    return new UrlParser(input, null, url, override).run();
  }

  private static String trimC0ControlOrSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) <= 0x20) {
      start++;
    }
    while (end > start && s.charAt(end - 1) <= 0x20) {
      end--;
    }
    return s.substring(start, end);
  }

  private boolean run() {
    while (true) {
      int result = step(c());
      if (result != CONTINUE) {
        return result == DONE;
      }
      if (pointer >= input.length) {
        return true;
      }
      pointer++;
    }
  }

  private int c() {
    return pointer >= 0 && pointer < input.length ? input[pointer] : EOF;
  }

  private int remaining(int offset) {
    int i = pointer + offset;
    return i >= 0 && i < input.length ? input[i] : EOF;
  }

  private int step(int c) {
    switch (state) {
      case SCHEME_START:
        return schemeStart(c);
      case SCHEME:
        return scheme(c);
      case NO_SCHEME:
        return noScheme(c);
      case SPECIAL_RELATIVE_OR_AUTHORITY:
        return specialRelativeOrAuthority(c);
      case PATH_OR_AUTHORITY:
        return pathOrAuthority(c);
      case RELATIVE:
        return relative(c);
      case RELATIVE_SLASH:
        return relativeSlash(c);
      case SPECIAL_AUTHORITY_SLASHES:
        return specialAuthoritySlashes(c);
      case SPECIAL_AUTHORITY_IGNORE_SLASHES:
        return specialAuthorityIgnoreSlashes(c);
      case AUTHORITY:
        return authority(c);
      case HOST:
      case HOSTNAME:
        return host(c);
      case PORT:
        return port(c);
      case FILE:
        return file(c);
      case FILE_SLASH:
        return fileSlash(c);
      case FILE_HOST:
        return fileHost(c);
      case PATH_START:
        return pathStart(c);
      case PATH:
        return path(c);
      case OPAQUE_PATH:
        return opaquePath(c);
      case QUERY:
        return query(c);
      case FRAGMENT:
        return fragment(c);
      default:
        throw new AssertionError(state);
    }
  }

  private static boolean isAsciiAlpha(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private int schemeStart(int c) {
    if (isAsciiAlpha(c)) {
      buffer.append(Character.toLowerCase((char) c));
      state = State.SCHEME;
    } else if (override == null) {
      state = State.NO_SCHEME;
      pointer--;
    } else {
      return FAILURE;
    }
    return CONTINUE;
  }

  private int scheme(int c) {
    if (isAsciiAlpha(c) || isAsciiDigit(c) || c == '+' || c == '-' || c == '.') {
      buffer.append(Character.toLowerCase((char) c));
      return CONTINUE;
    }
    if (c == ':') {
      return schemeEnd();
    }
    if (override == null) {
      buffer.setLength(0);
      state = State.NO_SCHEME;
      pointer = -1;
      return CONTINUE;
    }
    return FAILURE;
  }

  private int schemeEnd() {
    String candidate = buffer.toString();
    if (override != null) {
      if (url.isSpecial() != UrlRecord.isSpecialScheme(candidate)) {
        return DONE;
      }
      if ((url.includesCredentials() || url.port >= 0) && candidate.equals("file")) {
        return DONE;
      }
      if (url.scheme.equals("file") && "".equals(url.host)) {
        return DONE;
      }
    }
    url.scheme = candidate;
    if (override != null) {
      if (url.port == UrlRecord.defaultPort(url.scheme)) {
        url.port = -1;
      }
      return DONE;
    }
    buffer.setLength(0);
    if (url.scheme.equals("file")) {
      state = State.FILE;
    } else if (url.isSpecial() && base != null && base.scheme.equals(url.scheme)) {
      state = State.SPECIAL_RELATIVE_OR_AUTHORITY;
    } else if (url.isSpecial()) {
      state = State.SPECIAL_AUTHORITY_SLASHES;
    } else if (remaining(1) == '/') {
      state = State.PATH_OR_AUTHORITY;
      pointer++;
    } else {
      url.opaquePath = "";
      state = State.OPAQUE_PATH;
    }
    return CONTINUE;
  }

  private int noScheme(int c) {
    if (base == null || (base.hasOpaquePath() && c != '#')) {
      return FAILURE;
    }
    if (base.hasOpaquePath()) {
      url.scheme = base.scheme;
      url.opaquePath = base.opaquePath;
      url.query = base.query;
      url.fragment = "";
      state = State.FRAGMENT;
    } else {
      state = base.scheme.equals("file") ? State.FILE : State.RELATIVE;
      pointer--;
    }
    return CONTINUE;
  }

  private int specialRelativeOrAuthority(int c) {
    if (c == '/' && remaining(1) == '/') {
      state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
      pointer++;
    } else {
      state = State.RELATIVE;
      pointer--;
    }
    return CONTINUE;
  }

  private int pathOrAuthority(int c) {
    if (c == '/') {
      state = State.AUTHORITY;
    } else {
      state = State.PATH;
      pointer--;
    }
    return CONTINUE;
  }

  private void copyAuthorityFromBase() {
    url.username = base.username;
    url.password = base.password;
    url.host = base.host;
    url.port = base.port;
  }

  private int relative(int c) {
    url.scheme = base.scheme;
    if (c == '/' || (url.isSpecial() && c == '\\')) {
      state = State.RELATIVE_SLASH;
      return CONTINUE;
    }
    copyAuthorityFromBase();
    url.path = base.copy().path;
    url.query = base.query;
    if (c == '?') {
      url.query = "";
      state = State.QUERY;
    } else if (c == '#') {
      url.fragment = "";
      state = State.FRAGMENT;
    } else if (c != EOF) {
      url.query = null;
      shortenPath();
      state = State.PATH;
      pointer--;
    }
    return CONTINUE;
  }

  private int relativeSlash(int c) {
    if (url.isSpecial() && (c == '/' || c == '\\')) {
      state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
    } else if (c == '/') {
      state = State.AUTHORITY;
    } else {
      copyAuthorityFromBase();
      state = State.PATH;
      pointer--;
    }
    return CONTINUE;
  }

  private int specialAuthoritySlashes(int c) {
    if (c == '/' && remaining(1) == '/') {
      pointer++;
    } else {
      pointer--;
    }
    state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
    return CONTINUE;
  }

  private int specialAuthorityIgnoreSlashes(int c) {
    if (c != '/' && c != '\\') {
      state = State.AUTHORITY;
      pointer--;
    }
    return CONTINUE;
  }

  private int authority(int c) {
    if (c == '@') {
      if (atSignSeen) {
        buffer.insert(0, "%40");
      }
      atSignSeen = true;
      buffer.codePoints().forEach(this::appendCredential);
      buffer.setLength(0);
    } else if (c == EOF || c == '/' || c == '?' || c == '#' || (url.isSpecial() && c == '\\')) {
      if (atSignSeen && buffer.length() == 0) {
        return FAILURE;
      }
      pointer -= buffer.codePointCount(0, buffer.length()) + 1;
      buffer.setLength(0);
      state = State.HOST;
    } else {
      buffer.appendCodePoint(c);
    }
    return CONTINUE;
  }

  private void appendCredential(int codePoint) {
    if (codePoint == ':' && !passwordTokenSeen) {
      passwordTokenSeen = true;
      return;
    }
    StringBuilder encoded = new StringBuilder();
    PercentEncodeSet.USERINFO.append(encoded, codePoint);
    if (passwordTokenSeen) {
      url.password += encoded;
    } else {
      url.username += encoded;
    }
  }

  private int host(int c) {
    if (override != null && url.scheme.equals("file")) {
      pointer--;
      state = State.FILE_HOST;
      return CONTINUE;
    }
    if (c == ':' && !insideBrackets) {
      if (buffer.length() == 0 || override == State.HOSTNAME) {
        return FAILURE;
      }
      String host = Hosts.parse(buffer.toString(), !url.isSpecial());
      if (host == null) {
        return FAILURE;
      }
      url.host = host;
      buffer.setLength(0);
      state = State.PORT;
      return CONTINUE;
    }
    if (c == EOF || c == '/' || c == '?' || c == '#' || (url.isSpecial() && c == '\\')) {
      pointer--;
      if (url.isSpecial() && buffer.length() == 0) {
        return FAILURE;
      }
      if (override != null
          && buffer.length() == 0
          && (url.includesCredentials() || url.port >= 0)) {
        return FAILURE;
      }
      String host = Hosts.parse(buffer.toString(), !url.isSpecial());
      if (host == null) {
        return FAILURE;
      }
      url.host = host;
      buffer.setLength(0);
      state = State.PATH_START;
      return override != null ? DONE : CONTINUE;
    }
    if (c == '[') {
      insideBrackets = true;
    } else if (c == ']') {
      insideBrackets = false;
    }
    buffer.appendCodePoint(c);
    return CONTINUE;
  }

  private int port(int c) {
    if (isAsciiDigit(c)) {
      buffer.append((char) c);
      return CONTINUE;
    }
    if (c == EOF
        || c == '/'
        || c == '?'
        || c == '#'
        || (url.isSpecial() && c == '\\')
        || override != null) {
      if (buffer.length() > 0) {
        int port = parsePort(buffer);
        if (port < 0) {
          return FAILURE;
        }
        url.port = port == UrlRecord.defaultPort(url.scheme) ? -1 : port;
        buffer.setLength(0);
        if (override != null) {
          return DONE;
        }
      }
      if (override != null) {
        return FAILURE;
      }
      state = State.PATH_START;
      pointer--;
      return CONTINUE;
    }
    return FAILURE;
  }

  private static int parsePort(CharSequence digits) {
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      value = value * 10 + (digits.charAt(i) - '0');
      if (value > 0xFFFF) {
        return -1;
      }
    }
    return (int) value;
  }

  private int file(int c) {
    url.scheme = "file";
    url.host = "";
    if (c == '/' || c == '\\') {
      state = State.FILE_SLASH;
    } else if (base != null && base.scheme.equals("file")) {
      url.host = base.host;
      url.path = base.copy().path;
      url.query = base.query;
      if (c == '?') {
        url.query = "";
        state = State.QUERY;
      } else if (c == '#') {
        url.fragment = "";
        state = State.FRAGMENT;
      } else if (c != EOF) {
        url.query = null;
        if (!startsWithWindowsDriveLetter(pointer)) {
          shortenPath();
        } else {
          url.path.clear();
        }
        state = State.PATH;
        pointer--;
      }
    } else {
      state = State.PATH;
      pointer--;
    }
    return CONTINUE;
  }

  private int fileSlash(int c) {
    if (c == '/' || c == '\\') {
      state = State.FILE_HOST;
      return CONTINUE;
    }
    if (base != null && base.scheme.equals("file")) {
      url.host = base.host;
      if (!startsWithWindowsDriveLetter(pointer)
          && !base.path.isEmpty()
          && isNormalizedWindowsDriveLetter(base.path.get(0))) {
        url.path.add(base.path.get(0));
      }
    }
    state = State.PATH;
    pointer--;
    return CONTINUE;
  }

  private int fileHost(int c) {
    if (c != EOF && c != '/' && c != '\\' && c != '?' && c != '#') {
      buffer.appendCodePoint(c);
      return CONTINUE;
    }
    pointer--;
    if (override == null && isWindowsDriveLetter(buffer)) {
      state = State.PATH;
    } else if (buffer.length() == 0) {
      url.host = "";
      if (override != null) {
        return DONE;
      }
      state = State.PATH_START;
    } else {
      String host = Hosts.parse(buffer.toString(), !url.isSpecial());
      if (host == null) {
        return FAILURE;
      }
      url.host = host.equals("localhost") ? "" : host;
      if (override != null) {
        return DONE;
      }
      buffer.setLength(0);
      state = State.PATH_START;
    }
    return CONTINUE;
  }

  private int pathStart(int c) {
    if (url.isSpecial()) {
      state = State.PATH;
      if (c != '/' && c != '\\') {
        pointer--;
      }
    } else if (override == null && c == '?') {
      url.query = "";
      state = State.QUERY;
    } else if (override == null && c == '#') {
      url.fragment = "";
      state = State.FRAGMENT;
    } else if (c != EOF) {
      state = State.PATH;
      if (c != '/') {
        pointer--;
      }
    } else if (override != null && url.host == null) {
      url.path.add("");
    }
    return CONTINUE;
  }

  private int path(int c) {
    boolean slash = c == '/' || (url.isSpecial() && c == '\\');
    if (c == EOF || slash || (override == null && (c == '?' || c == '#'))) {
      String segment = buffer.toString();
      if (isDoubleDotSegment(segment)) {
        shortenPath();
        if (!slash) {
          url.path.add("");
        }
      } else if (isSingleDotSegment(segment) && !slash) {
        url.path.add("");
      } else if (!isSingleDotSegment(segment)) {
        if (url.scheme.equals("file") && url.path.isEmpty() && isWindowsDriveLetter(segment)) {
          segment = segment.charAt(0) + ":";
        }
        url.path.add(segment);
      }
      buffer.setLength(0);
      if (c == '?') {
        url.query = "";
        state = State.QUERY;
      } else if (c == '#') {
        url.fragment = "";
        state = State.FRAGMENT;
      }
      return CONTINUE;
    }
    PercentEncodeSet.PATH.append(buffer, c);
    return CONTINUE;
  }

  private int opaquePath(int c) {
    if (c == '?') {
      url.query = "";
      state = State.QUERY;
    } else if (c == '#') {
      url.fragment = "";
      state = State.FRAGMENT;
    } else if (c == ' ') {
      int next = remaining(1);
      url.opaquePath += next == '?' || next == '#' ? "%20" : " ";
    } else if (c != EOF) {
      StringBuilder encoded = new StringBuilder();
      PercentEncodeSet.C0_CONTROL.append(encoded, c);
      url.opaquePath += encoded;
    }
    return CONTINUE;
  }

  private int query(int c) {
    if ((override == null && c == '#') || c == EOF) {
      PercentEncodeSet set =
          url.isSpecial() ? PercentEncodeSet.SPECIAL_QUERY : PercentEncodeSet.QUERY;
      url.query = (url.query == null ? "" : url.query) + set.encode(buffer.toString());
      buffer.setLength(0);
      if (c == '#') {
        url.fragment = "";
        state = State.FRAGMENT;
      }
    } else {
      buffer.appendCodePoint(c);
    }
    return CONTINUE;
  }

  private int fragment(int c) {
    if (c != EOF) {
      StringBuilder encoded = new StringBuilder();
      PercentEncodeSet.FRAGMENT.append(encoded, c);
      url.fragment += encoded;
    }
    return CONTINUE;
  }

  private void shortenPath() {
    if (url.scheme.equals("file")
        && url.path.size() == 1
        && isNormalizedWindowsDriveLetter(url.path.get(0))) {
      return;
    }
    if (!url.path.isEmpty()) {
      url.path.remove(url.path.size() - 1);
    }
  }

  private static boolean isSingleDotSegment(String s) {
    return s.equals(".") || s.toLowerCase(Locale.ROOT).equals("%2e");
  }

  private static boolean isDoubleDotSegment(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "..":
      case ".%2e":
      case "%2e.":
      case "%2e%2e":
        return true;
      default:
        return false;
    }
  }

  private static boolean isWindowsDriveLetter(CharSequence s) {
    return s.length() == 2
        && isAsciiAlpha(s.charAt(0))
        && (s.charAt(1) == ':' || s.charAt(1) == '|');
  }

  private static boolean isNormalizedWindowsDriveLetter(String s) {
    return isWindowsDriveLetter(s) && s.charAt(1) == ':';
  }

  private boolean startsWithWindowsDriveLetter(int from) {
    int length = input.length - from;
    if (length < 2
        || !isAsciiAlpha(input[from])
        || (input[from + 1] != ':' && input[from + 1] != '|')) {
      return false;
    }
    if (length == 2) {
      return true;
    }
    int third = input[from + 2];
    return third == '/' || third == '\\' || third == '?' || third == '#';
  }
}
