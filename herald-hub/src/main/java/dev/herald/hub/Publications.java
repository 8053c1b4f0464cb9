package dev.herald.hub;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Topics;
import dev.herald.hub.mercure.Update;
import dev.herald.urlpattern.UrlPattern;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The rules an update must follow to be published (Mercure, "Publication"). */
final class Publications {
  private Publications() {}

  /** Why {@code update} cannot be published, or {@code null} if it can. */
  static String check(Update update, String hubPath, String hubUrl) {
    for (String topic : update.topics()) {
      String problem = checkTopic(topic, hubPath, hubUrl);
      if (problem != null) {
        return problem;
      }
    }
    if (update.id() != null) {
      String id = update.id();
      if (id.startsWith("#")) {
        return "id must not start with #";
      }
      if (id.equals(Reconciliation.EARLIEST)) {
        return "id must not be the reserved value earliest";
      }
      String invalid = Topics.invalidCharacter(id);
      if (invalid != null) {
        return "id " + invalid;
      }
    }
    if (update.type() != null) {
      if (update.type().equals("mercure")) {
        return "type mercure is reserved for the hub's own events";
      }
      String invalid = Topics.invalidCharacter(update.type());
      if (invalid != null) {
        return "type " + invalid;
      }
    }
    return null;
  }

  /** Why {@code topic} cannot be published to, or {@code null} if it can. */
  static String checkTopic(String topic, String hubPath, String hubUrl) {
    if (topic.length() > Hub.MAX_TOPIC_LENGTH) {
      return "topic longer than MAX_TOPIC_LENGTH ("
          + Hub.MAX_TOPIC_LENGTH
          + " characters): "
          + topic.length();
    }
    String invalid = Topics.invalidCharacter(topic);
    if (invalid != null) {
      return "topic " + invalid;
    }
    if (topic.equals(TopicMatcher.WILDCARD)) {
      return "topic * is reserved for the wildcard matcher";
    }
    if (inReservedNamespace(topic, hubPath, hubUrl)) {
      return "topic " + topic + " is in the hub's reserved namespace " + hubPath;
    }
    return null;
  }

  /** Verdicts of {@link #inReservedNamespace} kept, at most: the set is cleared when full. */
  private static final int VERDICTS = 4096;

  /** Topics longer than this are parsed every time, so the cache stays small. */
  private static final int MAX_CACHED_TOPIC = 1024;

  private record Verdict(String hubUrl, String hubPath, String topic) {}

  // Publishers send the same few topics again and again; parsing each as a URL is most of a
  // publish's work on the event loop.
  private static final Map<Verdict, Boolean> RESERVED = new ConcurrentHashMap<>();

  /**
   * Whether {@code topic}, resolved against the hub's URL by the URL Standard's parser, with its
   * percent-encoded unreserved characters decoded, has the hub's path or a path below it. Verdicts
   * on short topics are remembered.
   */
  static boolean inReservedNamespace(String topic, String hubPath, String hubUrl) {
    if (topic.length() > MAX_CACHED_TOPIC) {
      return resolvesIntoNamespace(topic, hubPath, hubUrl);
    }
    Verdict key = new Verdict(hubUrl, hubPath, topic);
    Boolean reserved = RESERVED.get(key);
    if (reserved == null) {
      reserved = resolvesIntoNamespace(topic, hubPath, hubUrl);
      if (RESERVED.size() >= VERDICTS) {
        RESERVED.clear();
      }
      RESERVED.put(key, reserved);
    }
    return reserved;
  }

  /**
   * The pattern of eight {@code *} components, which matches every URL that parses (a parsed URL's
   * components hold no line terminator): the pathname of its match is the URL Standard's parse of a
   * topic's path, dot segments removed and {@code %2e} taken as a dot, which {@code java.net.URI}
   * does not give.
   */
  private static final UrlPattern ANY_URL = UrlPattern.compile(UrlPattern.Init.builder().build());

  private static boolean resolvesIntoNamespace(String topic, String hubPath, String hubUrl) {
    // An opaque path (the "a:b" of urn:a:b) never starts with "/" and the hub's path always does:
    // such a topic is never in the namespace.
    String path = ANY_URL.exec(topic, hubUrl).map(match -> match.pathname().input()).orElse(null);
    if (path == null) {
      return false;
    }
    String normalized = decodeUnreserved(path);
    return normalized.equals(hubPath) || normalized.startsWith(hubPath + "/");
  }

  private static String decodeUnreserved(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        int v =
            Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16);
        if (Character.digit(path.charAt(i + 1), 16) >= 0
            && Character.digit(path.charAt(i + 2), 16) >= 0
            && isUnreserved((char) v)) {
          out.append((char) v);
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
