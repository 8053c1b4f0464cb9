package dev.herald.server;

import dev.herald.core.SseWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link EventLog}: the latest events, at most {@code maxEvents} of them, none older
 * than {@code maxAge}, and at most {@code maxBytes} of encoded events. Thread-safe.
 *
 * <pre>{@code
 * EventLog history = RingEventLog.builder().maxEvents(1000).maxAge(Duration.ofMinutes(10)).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class RingEventLog implements EventLog {
  /** Default {@link Builder#maxEvents}: {@value}. */
  public static final int DEFAULT_MAX_EVENTS = 1000;

  /** Default {@link Builder#maxBytes}: {@value} (16 MiB). */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private final int maxEvents;
  private final Duration maxAge;
  private final long maxBytes;
  private final Clock clock;
  private final ArrayDeque<Entry> ring = new ArrayDeque<>();
  private final Map<String, Entry> byId = new HashMap<>();
  private long bytes;
  private long next = 1;

  private record Entry(LoggedEvent event, int bytes) {}

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
  public synchronized long nextPosition() {
    return next;
  }

  @Override
  public synchronized void append(LoggedEvent event) {
    if (event.position() != next) {
      throw new IllegalArgumentException(
          "position " + event.position() + " appended where " + next + " was expected");
    }
    next++;
    Entry entry = new Entry(event, SseWriter.encodedLength(event.event()));
    ring.addLast(entry);
    bytes += entry.bytes();
    Entry replaced = byId.put(event.event().id(), entry);
    if (replaced != null) {
      byId.put(event.event().id(), replaced); // a repeated ID resolves to the earliest
    }
    evict();
  }

  @Override
  public synchronized Optional<List<LoggedEvent>> after(String id) {
    evict();
    Entry from = byId.get(id);
    if (from == null) {
      return Optional.empty();
    }
    List<LoggedEvent> later = new ArrayList<>();
    Iterator<Entry> it = ring.descendingIterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.event().position() <= from.event().position()) {
        break;
      }
      later.add(e.event());
    }
    java.util.Collections.reverse(later);
    return Optional.of(later);
  }

  /** The number of events held. */
  public synchronized int size() {
    evict();
    return ring.size();
  }

  private void evict() {
    Instant oldest = maxAge == null ? null : clock.instant().minus(maxAge);
    while (!ring.isEmpty()
        && (ring.size() > maxEvents
            || bytes > maxBytes
            || oldest != null && ring.peekFirst().event().appendedAt().isBefore(oldest))) {
      Entry gone = ring.removeFirst();
      bytes -= gone.bytes();
      byId.remove(gone.event().event().id(), gone);
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

    /** The log. */
    public RingEventLog build() {
      return new RingEventLog(this);
    }
  }
}
