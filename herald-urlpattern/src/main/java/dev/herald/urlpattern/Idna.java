package dev.herald.urlpattern;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The URL Standard's "domain to ASCII" with {@code beStrict} false.
 *
 * <p>ASCII domains are lowercased, as the standard says. Other domains go through an approximation
 * of UTS #46 processing built on the JDK: ignored code points are removed, the rest are mapped with
 * NFKC and lowercasing (deviations such as ß and ς are kept, as non-transitional processing does),
 * the label separators U+3002, U+FF0E and U+FF61 become dots, and each label is checked (NFC, no
 * leading combining mark, no unassigned, private-use, control or format code point except ZWJ and
 * ZWNJ) and then Punycode-encoded. The full UTS #46 mapping table, CheckBidi and CheckJoiners are
 * not applied; the README of herald-urlpattern lists this.
 */
final class Idna {
  private Idna() {}

  /** Returns the ASCII form of {@code domain}, or null for failure. */
  static String domainToAscii(String domain) {
    String result = isAscii(domain) ? domain.toLowerCase(Locale.ROOT) : unicodeToAscii(domain);
    if (result == null || result.isEmpty()) {
      return null;
    }
    for (int i = 0; i < result.length(); i++) {
      if (isForbiddenDomainCodePoint(result.charAt(i))) {
        return null;
      }
    }
    return result;
  }

  static boolean isForbiddenDomainCodePoint(int c) {
    return Hosts.isForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F;
  }

  private static String unicodeToAscii(String domain) {
    String[] labels = map(domain).split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = labelToAscii(labels[i]);
      if (labels[i] == null) {
        return null;
      }
    }
    return String.join(".", labels);
  }

  private static String map(String domain) {
    StringBuilder kept = new StringBuilder(domain.length());
    domain.codePoints().filter(cp -> !isIgnored(cp)).forEach(kept::appendCodePoint);
    String folded = Normalizer.normalize(kept, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    folded = Normalizer.normalize(folded, Normalizer.Form.NFKC);
    return folded.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
  }

  private static String labelToAscii(String label) {
    if (label.startsWith("xn--")) {
      String decoded = Punycode.decode(label.substring(4));
      return decoded != null && !decoded.isEmpty() && isValidLabel(decoded) ? label : null;
    }
    if (isAscii(label)) {
      return label;
    }
    if (!isValidLabel(label)) {
      return null;
    }
    String encoded = Punycode.encode(label);
    return encoded == null ? null : "xn--" + encoded;
  }

  private static boolean isValidLabel(String label) {
    if (!Normalizer.isNormalized(label, Normalizer.Form.NFC)) {
      return false;
    }
    if (!label.isEmpty() && isMark(label.codePointAt(0))) {
      return false;
    }
    return label.codePoints().allMatch(Idna::isAllowed);
  }

  private static boolean isAllowed(int cp) {
    if (cp < 0x80) {
      return true;
    }
    if (cp == 0x200C || cp == 0x200D) {
      return true;
    }
    if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
      return false;
    }
    switch (Character.getType(cp)) {
      case Character.UNASSIGNED:
      case Character.PRIVATE_USE:
      case Character.SURROGATE:
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SPACE_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean isIgnored(int cp) {
    return cp == 0x00AD
        || cp == 0x034F
        || (cp >= 0x180B && cp <= 0x180F)
        || cp == 0x200B
        || cp == 0x2060
        || cp == 0xFEFF
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || (cp >= 0x1BCA0 && cp <= 0x1BCA3)
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
