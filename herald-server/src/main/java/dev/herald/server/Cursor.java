package dev.herald.server;

/**
 * A position in an {@link EventLog}'s total order: two non-negative numbers compared in turn, which
 * hold a ring's counter ({@code of(n)}), a database sequence ({@code of(sequence)}) or a Redis
 * stream ID ({@code of(milliseconds, sequence)} for {@code 1700000000000-3}).
 *
 * <p>Opaque: callers compare cursors, store them (as {@link #toString} and {@link #parse}) and hand
 * them back to the log that made them; only that log interprets one. Positions need not be dense:
 * there is no arithmetic on cursors, and the cursor after another is whatever the log appends next.
 * {@link #START} is before every position a log assigns.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class Cursor implements Comparable<Cursor> {
  /** Before everything: no log assigns it, and every position a log assigns is after it. */
  public static final Cursor START = new Cursor(0, 0);

  private final long major;
  private final long minor;

  private Cursor(long major, long minor) {
    this.major = major;
    this.minor = minor;
  }

  /**
   * The position {@code position}, as {@code of(position, 0)}.
   *
   * @throws IllegalArgumentException if negative
   */
  public static Cursor of(long position) {
    return of(position, 0);
  }

  /**
   * The position whose parts are {@code major} then {@code minor}.
   *
   * @throws IllegalArgumentException if either is negative
   */
  public static Cursor of(long major, long minor) {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException(
          "a cursor's parts may not be negative: " + major + ", " + minor);
    }
    return major == 0 && minor == 0 ? START : new Cursor(major, minor);
  }

  /**
   * The cursor {@link #toString} wrote: {@code major} or {@code major-minor}, in decimal.
   *
   * @throws IllegalArgumentException if {@code text} is not such a cursor
   */
  public static Cursor parse(String text) {
    int dash = text.indexOf('-');
    try {
      return dash < 0
          ? of(Long.parseLong(text))
          : of(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cursor: " + text, e);
    }
  }

  /** The first part: for the log that made this cursor. */
  public long major() {
    return major;
  }

  /** The second part, 0 for a cursor made by {@link #of(long)}: for the log that made it. */
  public long minor() {
    return minor;
  }

  /** Whether this cursor comes after {@code other} in the log's order. */
  public boolean isAfter(Cursor other) {
    return compareTo(other) > 0;
  }

  @Override
  public int compareTo(Cursor other) {
    int c = Long.compare(major, other.major);
    return c != 0 ? c : Long.compare(minor, other.minor);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cursor && ((Cursor) o).major == major && ((Cursor) o).minor == minor;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(major) * 31 + Long.hashCode(minor);
  }

  /** {@code major}, or {@code major-minor} if the second part is not 0; {@link #parse} reads it. */
  @Override
  public String toString() {
    return minor == 0 ? Long.toString(major) : major + "-" + minor;
  }
}
