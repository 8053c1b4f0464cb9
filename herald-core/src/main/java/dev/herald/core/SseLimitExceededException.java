package dev.herald.core;

/**
 * A stream went past one of the configured limits of {@link SseParser.Builder}, such as the longest
 * line, or past a limit of the transport that carries it, such as the size of an HTTP response head
 * a client accepts. The message names the limit and its value; {@link #limitName()} and {@link
 * #limit()} give them to code.
 *
 * <p>The parser that threw it has dropped the offending line or event; discard the stream (close
 * the connection) rather than feeding it more bytes.
 *
 * @since 0.1
 */
public final class SseLimitExceededException extends SseException {
  private static final long serialVersionUID = 1L;

  private final String limitName;
  private final long limit;

  /**
   * An exception for the limit {@code limitName} of value {@code limit}.
   *
   * @param limitName the limit's name, as in {@link SseParser.Builder}
   * @param limit the limit's value
   * @param what what went past it, for the message
   */
  public SseLimitExceededException(String limitName, long limit, String what) {
    super(what + " exceeds " + limitName + " (" + limit + ")");
    this.limitName = limitName;
    this.limit = limit;
  }

  /** The name of the limit, for example {@code maxLineBytes}. */
  public String limitName() {
    return limitName;
  }

  /** The value of the limit that was exceeded. */
  public long limit() {
    return limit;
  }
}
