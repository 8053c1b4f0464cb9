package dev.herald.hub.mercure;

/** Reads {@link TopicMatcher}'s remembered URL-pattern verdicts, for the hub's tests. */
public final class Verdicts {
  private Verdicts() {}

  /** Whether the verdict of {@code matcher} on {@code topic} is remembered. */
  public static boolean remembered(TopicMatcher matcher, String topic) {
    return matcher.remembers(topic);
  }
}
