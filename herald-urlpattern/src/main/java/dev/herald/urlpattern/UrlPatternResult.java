package dev.herald.urlpattern;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a successful {@link UrlPattern#exec(String) exec}: the inputs it was given and, for
 * each of the eight URL components, the component's value and the groups its pattern captured.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * UrlPatternResult result = UrlPattern.compile("https://example.com/books/:id")
 *     .exec("https://example.com/books/42").orElseThrow();
 * result.pathname().input();        // "/books/42"
 * result.pathname().group("id");    // "42"
 * }</pre>
 *
 * @since 0.1
 */
public final class UrlPatternResult {
  private final List<Object> inputs;
  private final Map<Component.Name, ComponentResult> components;

  UrlPatternResult(List<Object> inputs, Map<Component.Name, ComponentResult> components) {
    this.inputs = Collections.unmodifiableList(inputs);
    this.components = components;
  }

  /**
   * The arguments {@code exec} was given: a URL string and, if one was given, the base URL string;
   * or one {@link UrlPattern.Init}. Each element is a {@code String} or an {@code Init}.
   */
  public List<Object> inputs() {
    return inputs;
  }

  /** The protocol (scheme) component, without its {@code :}. */
  public ComponentResult protocol() {
    return components.get(Component.Name.PROTOCOL);
  }

  /** The username component. */
  public ComponentResult username() {
    return components.get(Component.Name.USERNAME);
  }

  /** The password component. */
  public ComponentResult password() {
    return components.get(Component.Name.PASSWORD);
  }

  /** The hostname component. */
  public ComponentResult hostname() {
    return components.get(Component.Name.HOSTNAME);
  }

  /** The port component; empty for the scheme's default port. */
  public ComponentResult port() {
    return components.get(Component.Name.PORT);
  }

  /** The pathname component. */
  public ComponentResult pathname() {
    return components.get(Component.Name.PATHNAME);
  }

  /** The search component, without its {@code ?}. */
  public ComponentResult search() {
    return components.get(Component.Name.SEARCH);
  }

  /** The hash component, without its {@code #}. */
  public ComponentResult hash() {
    return components.get(Component.Name.HASH);
  }

  /**
   * The component named as in the standard: {@code "protocol"}, {@code "username"}, {@code
   * "password"}, {@code "hostname"}, {@code "port"}, {@code "pathname"}, {@code "search"} or {@code
   * "hash"}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public ComponentResult component(String name) {
    for (Component.Name candidate : Component.Name.values()) {
      if (candidate.key().equals(name)) {
        return components.get(candidate);
      }
    }
    throw new IllegalArgumentException("name: not a URL component: " + name);
  }

  @Override
  public String toString() {
    return "UrlPatternResult" + components.values();
  }

  /**
   * One component of a match: the component's canonical value, and the value of each group of its
   * pattern by name (unnamed groups are named {@code "0"}, {@code "1"}, ... in order). Immutable.
   *
   * @since 0.1
   */
  public static final class ComponentResult {
    private final String name;
    private final String input;
    private final Map<String, String> groups;

    ComponentResult(String name, String input, Map<String, String> groups) {
      this.name = name;
      this.input = input;
      this.groups = groups;
    }

    /** The component's value that was matched, for example {@code /books/42}. */
    public String input() {
      return input;
    }

    /**
     * The groups in pattern order. A group that did not take part in the match (an optional group
     * that was skipped) maps to {@code null}, as JavaScript's {@code undefined}.
     */
    public Map<String, String> groups() {
      return groups;
    }

    /**
     * The value of the group {@code name}, or null if it did not take part in the match.
     *
     * @throws IllegalArgumentException if the pattern has no group of that name
     */
    public String group(String name) {
      if (!groups.containsKey(name)) {
        throw new IllegalArgumentException("name: no group '" + name + "' in " + this.name);
      }
      return groups.get(name);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof ComponentResult)) {
        return false;
      }
      ComponentResult other = (ComponentResult) o;
      return input.equals(other.input) && groups.equals(other.groups);
    }

    @Override
    public int hashCode() {
      return Objects.hash(input, groups);
    }

    @Override
    public String toString() {
      return name + "{input=" + input + ", groups=" + groups + "}";
    }
  }
}
