package dev.herald.server;

import dev.herald.core.SseWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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
  // Oldest first from `head`; positions are dense, so the event at position p is at head + p -
  // first.
  private final List<Entry> ring = new ArrayList<>();
  private int head;
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
    ring.add(entry);
    bytes += entry.bytes();
    Entry replaced = byId.put(event.event().id(), entry);
    if (replaced != null) {
      byId.put(event.event().id(), replaced); // a repeated ID resolves to the earliest
    }
    evict();
  }

  @Override
  public synchronized OptionalLong positionOf(String id) {
    evict();
    Entry entry = byId.get(id);
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.event().position());
  }

  @Override
  public synchronized Optional<List<LoggedEvent>> read(
      long position, int maxEvents, long maxBytes) {
    EventLog.checkPage(maxEvents, maxBytes);
    evict();
    if (position >= next - 1) {
      return Optional.of(List.of()); // nothing later yet
    }
    long first = ring.size() == head ? next : ring.get(head).event().position();
    if (position + 1 < first) {
      return Optional.empty(); // the events right after it were evicted
    }
    List<LoggedEvent> page = new ArrayList<>();
    long bytes = 0;
    for (int i = head + (int) (position + 1 - first);
        i < ring.size() && page.size() < maxEvents && bytes < maxBytes;
        i++) {
      Entry e = ring.get(i);
      page.add(e.event());
      bytes += e.bytes();
    }
    return Optional.of(page);
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
      Entry gone = ring.get(head);
      ring.set(head++, null);
      bytes -= gone.bytes();
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

    /** The log. */
    public RingEventLog build() {
      return new RingEventLog(this);
    }
  }
}
