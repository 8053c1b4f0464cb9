package dev.herald.urlpattern;

/** Punycode (RFC 3492) for one domain label, without the {@code xn--} prefix. */
final class Punycode {
  private static final int BASE = 36;
  private static final int T_MIN = 1;
  private static final int T_MAX = 26;
  private static final int SKEW = 38;
  private static final int DAMP = 700;
  private static final int INITIAL_BIAS = 72;
  private static final int INITIAL_N = 128;
  private static final long LIMIT = Integer.MAX_VALUE;

  private Punycode() {}

  /** Encodes {@code label}, or returns null if the arithmetic would overflow. */
  static String encode(String label) {
    int[] input = label.codePoints().toArray();
    StringBuilder out = new StringBuilder();
    for (int c : input) {
      if (c < 0x80) {
        out.append((char) c);
      }
    }
    int basic = out.length();
    int handled = basic;
    if (basic > 0) {
      out.append('-');
    }
    long n = INITIAL_N;
    long delta = 0;
    int bias = INITIAL_BIAS;
    while (handled < input.length) {
      long m = Long.MAX_VALUE;
      for (int c : input) {
        if (c >= n && c < m) {
          m = c;
        }
      }
      delta += (m - n) * (handled + 1);
      if (delta > LIMIT) {
        return null;
      }
      n = m;
      for (int c : input) {
        if (c < n && ++delta > LIMIT) {
          return null;
        }
        if (c == n) {
          appendNumber(out, delta, bias);
          bias = adapt(delta, handled + 1, handled == basic);
          delta = 0;
          handled++;
        }
      }
      delta++;
      n++;
    }
    return out.toString();
  }

  private static void appendNumber(StringBuilder out, long value, int bias) {
    long q = value;
    for (int k = BASE; ; k += BASE) {
      int t = threshold(k, bias);
      if (q < t) {
        break;
      }
      out.append(digit((int) (t + (q - t) % (BASE - t))));
      q = (q - t) / (BASE - t);
    }
    out.append(digit((int) q));
  }

  /** Decodes {@code encoded}, or returns null if it is not valid Punycode. */
  static String decode(String encoded) {
    int delimiter = encoded.lastIndexOf('-');
    StringBuilder out = new StringBuilder();
    for (int j = 0; j < Math.max(delimiter, 0); j++) {
      char c = encoded.charAt(j);
      if (c >= 0x80) {
        return null;
      }
      out.append(c);
    }
    int[] output = out.codePoints().toArray();
    int length = output.length;
    int[] buffer = new int[encoded.length()];
    System.arraycopy(output, 0, buffer, 0, length);
    long n = INITIAL_N;
    long i = 0;
    int bias = INITIAL_BIAS;
    int in = delimiter > 0 ? delimiter + 1 : 0;
    while (in < encoded.length()) {
      long oldI = i;
      long w = 1;
      for (int k = BASE; ; k += BASE) {
        if (in >= encoded.length()) {
          return null;
        }
        int digit = digitValue(encoded.charAt(in++));
        if (digit < 0) {
          return null;
        }
        i += digit * w;
        if (i > LIMIT) {
          return null;
        }
        int t = threshold(k, bias);
        if (digit < t) {
          break;
        }
        w *= BASE - t;
        if (w > LIMIT) {
          return null;
        }
      }
      bias = adapt(i - oldI, length + 1, oldI == 0);
      n += i / (length + 1);
      i %= length + 1;
      if (n > Character.MAX_CODE_POINT || (n >= 0xD800 && n <= 0xDFFF)) {
        return null;
      }
      System.arraycopy(buffer, (int) i, buffer, (int) i + 1, length - (int) i);
      buffer[(int) i] = (int) n;
      length++;
      i++;
    }
    return new String(buffer, 0, length);
  }

  private static int threshold(int k, int bias) {
    if (k <= bias) {
      return T_MIN;
    }
    return Math.min(k - bias, T_MAX);
  }

  private static int adapt(long delta, int points, boolean first) {
    long d = first ? delta / DAMP : delta / 2;
    d += d / points;
    int k = 0;
    while (d > ((BASE - T_MIN) * T_MAX) / 2) {
      d /= BASE - T_MIN;
      k += BASE;
    }
    return (int) (k + ((BASE - T_MIN + 1) * d) / (d + SKEW));
  }

  private static char digit(int d) {
    return (char) (d < 26 ? 'a' + d : '0' + d - 26);
  }

  private static int digitValue(char c) {
    if (c >= 'a' && c <= 'z') {
      return c - 'a';
    }
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 26;
    }
    return -1;
  }
}
