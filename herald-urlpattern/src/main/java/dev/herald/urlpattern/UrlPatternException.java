package dev.herald.urlpattern;

/**
 * A URL pattern is invalid, or an argument to {@link UrlPattern} is: the module's one exception
 * family, unchecked. It plays the part of the {@code TypeError} that the WHATWG URL Pattern
 * standard throws. The message names the component (such as {@code pathname}), the code point index
 * within that component's pattern string where one is known, and the reason; {@link #component()},
 * {@link #index()} and {@link #reason()} give them to code.
 *
 * <p>Thrown by the {@code compile} factories only: {@code test} and {@code exec} never throw it (a
 * string that is not a URL does not match). A pattern past one of {@link UrlPattern}'s limits
 * throws the subclass {@link UrlPatternLimitExceededException}.
 *
 * @since 0.1
 */
public class UrlPatternException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String component;
  private final int index;
  private final String reason;

  /**
   * An exception for {@code reason} at code point {@code index} (-1 if none) of a pattern string.
   */
  UrlPatternException(String reason, int index) {
    this(null, reason, index);
  }

  UrlPatternException(String component, String reason, int index) {
    super(message(component, reason, index));
    this.component = component;
    this.index = index;
    this.reason = reason;
  }

  private static String message(String component, String reason, int index) {
    StringBuilder message = new StringBuilder("invalid URL pattern");
    if (component != null) {
      message.append(": ").append(component);
    }
    if (index >= 0) {
      message.append(" at index ").append(index);
    }
    return message.append(": ").append(reason).toString();
  }

  /** The component whose pattern is invalid ({@code "pathname"}, ...), or null if not known. */
  public String component() {
    return component;
  }

  /** The code point index in the component's pattern string, or -1 if not known. */
  public int index() {
    return index;
  }

  /** What is wrong, without the component and index. */
  public String reason() {
    return reason;
  }

  /** This exception with {@code component} set, unless one is set already. */
  UrlPatternException inComponent(String name) {
    if (component != null || this instanceof UrlPatternLimitExceededException) {
      return this;
    }
    UrlPatternException located = new UrlPatternException(name, reason, index);
    located.initCause(getCause());
    return located;
  }
}
