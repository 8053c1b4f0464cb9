package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateStore;
import dev.herald.server.EventLog;
import dev.herald.server.LoggedEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The broadcaster's view of the hub's history: the most recent updates in memory, the rest in the
 * {@link UpdateStore}. Every logged event carries its {@link StoredUpdate} as attachment. IDs
 * resolve through the store, so a repeated ID resolves to the earliest update that bears it.
 *
 * <p>The broadcaster calls it under its lock; {@link #after} may read the store (blocking), so the
 * hub never subscribes from an event loop.
 */
final class HubLog implements EventLog {
  /** The reserved last event ID asking for all history. */
  static final String EARLIEST = "earliest";

  private final UpdateStore store;
  private final int window;
  private final int maxReplay;
  private final ArrayDeque<LoggedEvent> recent = new ArrayDeque<>();
  private long nextPosition = 1;
  private long lastSequence;
  private volatile String lastEventId; // read from event loops: never a store read there

  HubLog(UpdateStore store, int window, int maxReplay) {
    this.store = store;
    this.window = window;
    this.maxReplay = maxReplay;
    this.lastSequence = store.lastSequence();
    List<StoredUpdate> tail = store.tail(1); // once, at start, before any event loop runs
    this.lastEventId = tail.isEmpty() ? EARLIEST : tail.get(0).update().id();
  }

  /** The event a stored update becomes on the wire. */
  static SseEvent toEvent(Update update) {
    SseEvent.Builder event = SseEvent.builder().id(update.id());
    if (update.type() != null) {
      event.type(update.type());
    }
    if (update.retryMillis() != null) {
      event.retry(Duration.ofMillis(update.retryMillis()));
    }
    event.data(update.data() == null ? "" : update.data());
    return event.build();
  }

  static LinkedHashSet<String> topicSet(Update update) {
    return new LinkedHashSet<>(update.topics());
  }

  @Override
  public synchronized long nextPosition() {
    return nextPosition;
  }

  @Override
  public synchronized void append(LoggedEvent event) {
    recent.addLast(event);
    nextPosition = event.position() + 1;
    lastSequence = ((StoredUpdate) event.attachment()).sequence();
    lastEventId = event.event().id();
    while (recent.size() > window) {
      recent.removeFirst();
    }
  }

  /** The ID of the last update dispatched, or {@code earliest} if none; never blocks. */
  String lastEventId() {
    return lastEventId;
  }

  @Override
  public Optional<List<LoggedEvent>> after(String id) {
    long upTo;
    synchronized (this) {
      upTo = lastSequence;
    }
    long from;
    if (EARLIEST.equals(id)) {
      from = 0;
    } else {
      OptionalLong sequence = store.sequenceOf(id);
      if (sequence.isEmpty()) {
        return Optional.empty();
      }
      from = sequence.getAsLong();
    }
    List<LoggedEvent> events = new ArrayList<>();
    synchronized (this) {
      LoggedEvent first = recent.peekFirst();
      long firstInMemory =
          first == null ? Long.MAX_VALUE : ((StoredUpdate) first.attachment()).sequence();
      if (from + 1 < firstInMemory) { // older than the window: read the store
        for (StoredUpdate u : store.range(from, Math.min(upTo, firstInMemory - 1), maxReplay)) {
          // The broadcaster caches replayed chunks by position: an update read from the store gets
          // the negative of its sequence, which no live event's position can equal.
          events.add(
              new LoggedEvent(
                  -u.sequence(), topicSet(u.update()), u.storedAt(), toEvent(u.update()), u));
        }
      }
      for (LoggedEvent e : recent) {
        if (((StoredUpdate) e.attachment()).sequence() > from) {
          events.add(e);
        }
      }
    }
    return Optional.of(events);
  }
}
