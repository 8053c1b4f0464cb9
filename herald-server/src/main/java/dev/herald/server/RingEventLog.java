package dev.herald.server;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory {@link EventLog}: the latest events, at most {@code maxEvents} of them, none older
 * than {@code maxAge}, and at most {@code maxBytes} of encoded events. Thread-safe.
 *
 * <pre>{@code
 * EventLog<Void> history =
 *     RingEventLog.builder().maxEvents(1000).maxAge(Duration.ofMinutes(10)).build();
 * }</pre>
 *
 * <p>Positions are {@code Cursor.of(1)}, {@code Cursor.of(2)}, ...: an event published without ID
 * gets {@code "1"}, {@code "2"}, ... as ID.
 *
 * @param <P> the type of the events' payload; {@link Void} if none
 * @since 0.1
 */
public final class RingEventLog<P> implements EventLog<P> {
  /** Default {@link Builder#maxEvents}: {@value}. */
  public static final int DEFAULT_MAX_EVENTS = 1000;

  /** Default {@link Builder#maxBytes}: {@value} (16 MiB). */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private final int maxEvents;
  private final Duration maxAge;
  private final long maxBytes;
  private final Clock clock;
  private final List<Entry<P>> ring = new ArrayList<>(); // oldest first from `head`
  private int head;
  private final Map<String, Entry<P>> byId = new HashMap<>();
  private long bytes;
  private Cursor lastAppended = Cursor.START;
  private Cursor lastEvicted = Cursor.START; // a reader after an earlier position has a gap

  private record Entry<P>(LoggedEvent<P> event, int bytes) {}

  private RingEventLog(Builder b) {
    this.maxEvents = b.maxEvents;
    this.maxAge = b.maxAge;
    this.maxBytes = b.maxBytes;
    this.clock = b.clock;
  }

  /** A builder with the defaults: 1000 events, 16 MiB, no age limit. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public LoggedEvent<P> append(Set<String> topics, SseEvent event, P payload) {
    return append(topics, event, payload, clock.instant());
  }

  /**
   * Appends {@code event} as {@link #append(Set, SseEvent, Object)} does, as appended at {@code
   * appendedAt} rather than now: for a log that restores events it also keeps elsewhere.
   */
  public synchronized LoggedEvent<P> append(
      Set<String> topics, SseEvent event, P payload, Instant appendedAt) {
    Cursor position = Cursor.of(lastAppended.major() + 1);
    SseEvent withId =
        event.id() != null ? event : event.toBuilder().id(position.toString()).build();
    LoggedEvent<P> logged = new LoggedEvent<>(position, topics, appendedAt, withId, payload);
    lastAppended = position;
    Entry<P> entry = new Entry<>(logged, SseWriter.encodedLength(withId));
    ring.add(entry);
    bytes += entry.bytes();
    byId.putIfAbsent(withId.id(), entry); // a repeated ID resolves to the earliest
    evict();
    return logged;
  }

  @Override
  public synchronized Cursor last() {
    return lastAppended;
  }

  @Override
  public synchronized Optional<Cursor> positionOf(String id) {
    evict();
    Entry<P> entry = byId.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.event().position());
  }

  @Override
  public synchronized Optional<List<LoggedEvent<P>>> read(
      Cursor after, int maxEvents, long maxBytes) {
    EventLog.checkPage(maxEvents, maxBytes);
    evict();
    if (after.compareTo(lastEvicted) < 0) {
      return Optional.empty(); // events after it were evicted
    }
    List<LoggedEvent<P>> page = new ArrayList<>();
    long bytes = 0;
    for (int i = firstAfter(after);
        i < ring.size() && page.size() < maxEvents && bytes < maxBytes;
        i++) {
      Entry<P> e = ring.get(i);
      page.add(e.event());
      bytes += e.bytes();
    }
    return Optional.of(page);
  }

  /** The index in {@code ring} of the first event held after {@code after}. */
  private int firstAfter(Cursor after) {
    int low = head;
    int high = ring.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (ring.get(mid).event().position().compareTo(after) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The number of events held. */
  public synchronized int size() {
    evict();
    return ring.size() - head;
  }

  private void evict() {
    Instant oldest = maxAge == null ? null : clock.instant().minus(maxAge);
    while (head < ring.size()
        && (ring.size() - head > maxEvents
            || bytes > maxBytes
            || oldest != null && ring.get(head).event().appendedAt().isBefore(oldest))) {
      Entry<P> gone = ring.get(head);
      ring.set(head++, null);
      bytes -= gone.bytes();
      lastEvicted = gone.event().position();
      byId.remove(gone.event().event().id(), gone);
    }
    if (head > 64 && head >= ring.size() / 2) { // compact: the evicted slots leave the list
      ring.subList(0, head).clear();
      head = 0;
    }
  }

  /** Configures a {@link RingEventLog}. Not thread-safe. */
  public static final class Builder {
    private int maxEvents = DEFAULT_MAX_EVENTS;
    private Duration maxAge;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Keep at most this many events; default {@value #DEFAULT_MAX_EVENTS}. */
    public Builder maxEvents(int maxEvents) {
      if (maxEvents <= 0) {
        throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /** Keep no event older than this; default no limit. */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /** Keep at most this many bytes of encoded events; default {@value #DEFAULT_MAX_BYTES}. */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /** The clock for ages; default the system's. */
    public Builder clock(Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The log, for events with payloads of type {@code P} ({@link Void} if none). */
    public <P> RingEventLog<P> build() {
      return new RingEventLog<>(this);
    }
  }
}
