package dev.herald.urlpattern;

/**
 * A pattern passed to {@link UrlPattern} is longer than {@link UrlPattern#MAX_PATTERN_LENGTH}, or
 * one of its components would compile to a program larger than {@link UrlPattern#MAX_PROGRAM_SIZE}
 * or spell out more than {@link UrlPattern#MAX_CLASS_RANGES} class ranges. The message names the
 * limit and its value; {@link #limitName()} and {@link #limit()} give them to code.
 *
 * @since 0.1
 */
public final class UrlPatternLimitExceededException extends UrlPatternException {
  private static final long serialVersionUID = 1L;

  private final String limitName;
  private final long limit;

  /**
   * An exception for the limit {@code limitName} of value {@code limit}; {@code what} passed it.
   */
  UrlPatternLimitExceededException(String limitName, long limit, String what) {
    super(what + " exceeds " + limitName + " (" + limit + ")", -1);
    this.limitName = limitName;
    this.limit = limit;
  }

  /** The name of the limit, for example {@code MAX_PATTERN_LENGTH}. */
  public String limitName() {
    return limitName;
  }

  /** The value of the limit that was exceeded. */
  public long limit() {
    return limit;
  }
}
