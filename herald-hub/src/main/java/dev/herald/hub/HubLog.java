package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateStore;
import dev.herald.server.EventLog;
import dev.herald.server.LoggedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The broadcaster's view of the hub's history: the most recent updates in memory, the rest in the
 * {@link UpdateStore}. An event's position is its update's store sequence (dense, in the store's
 * order), and every logged event carries its {@link StoredUpdate} as attachment. IDs resolve
 * through the store, so a repeated ID resolves to the earliest update that bears it.
 *
 * <p>{@link #positionOf} and {@link #read} may read the store (blocking): the hub calls them on its
 * replay threads, never on an event loop.
 */
final class HubLog implements EventLog {
  /** The reserved last event ID asking for all history. */
  static final String EARLIEST = "earliest";

  /** The most rows read from the store at once: 32 updates of at most a body's size. */
  private static final int STORE_BATCH = 32;

  private final UpdateStore store;
  private final LoggedEvent[] recent; // the update with sequence s at s % length
  private int held; // the updates in `recent`: sequences lastSequence - held + 1 to lastSequence
  private long lastSequence;
  private volatile String lastEventId; // read from event loops: never a store read there

  HubLog(UpdateStore store, int window) {
    this.store = store;
    this.recent = new LoggedEvent[window];
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

  /** The logged event of a stored update. */
  static LoggedEvent logged(StoredUpdate u) {
    return new LoggedEvent(
        u.sequence(), topicSet(u.update()), u.storedAt(), toEvent(u.update()), u);
  }

  @Override
  public synchronized long nextPosition() {
    return lastSequence + 1;
  }

  /**
   * Makes {@code sequence} the position of the next append: called by the hub before it hands the
   * broadcaster the update with that sequence, so that a position is always its store sequence,
   * even after an update that could not be dispatched.
   */
  synchronized void nextIs(long sequence) {
    if (sequence != lastSequence + 1) {
      held = 0; // what is held would no longer be a run of sequences
      lastSequence = sequence - 1;
    }
  }

  @Override
  public synchronized void append(LoggedEvent event) {
    if (event.position() != lastSequence + 1) {
      held = 0; // not the next one: what is held would no longer be a run of sequences
    }
    recent[slot(event.position())] = event;
    held = Math.min(held + 1, recent.length);
    lastSequence = event.position();
    lastEventId = event.event().id();
  }

  /** The ID of the last update dispatched, or {@code earliest} if none; never blocks. */
  String lastEventId() {
    return lastEventId;
  }

  /**
   * The sequence of the earliest update with {@code id} the store holds; for {@code earliest}, the
   * one before the oldest update held, so that a catch-up starts at the beginning of history.
   */
  @Override
  public OptionalLong positionOf(String id) {
    if (!EARLIEST.equals(id)) {
      return store.sequenceOf(id);
    }
    long first;
    synchronized (this) {
      first = held == 0 ? lastSequence + 1 : lastSequence - held + 1;
    }
    List<StoredUpdate> oldest = store.range(0, first - 1, 1);
    return OptionalLong.of((oldest.isEmpty() ? first : oldest.get(0).sequence()) - 1);
  }

  @Override
  public Optional<List<LoggedEvent>> read(long position, int maxEvents, long maxBytes) {
    EventLog.checkPage(maxEvents, maxBytes);
    long upTo;
    long firstInMemory;
    synchronized (this) {
      upTo = lastSequence;
      firstInMemory = lastSequence - held + 1;
      if (position >= upTo) {
        return Optional.of(List.of());
      }
      if (position + 1 >= firstInMemory) {
        List<LoggedEvent> page = new ArrayList<>();
        long bytes = 0;
        for (long s = position + 1; s <= upTo && page.size() < maxEvents && bytes < maxBytes; s++) {
          LoggedEvent e = recent[slot(s)];
          page.add(e);
          bytes += SseWriter.encodedLength(e.event());
        }
        return Optional.of(page);
      }
    }
    return readStore(position, Math.min(upTo, firstInMemory - 1), maxEvents, maxBytes);
  }

  /** A page of the updates after {@code position} up to {@code upTo}, read from the store. */
  private Optional<List<LoggedEvent>> readStore(
      long position, long upTo, int maxEvents, long maxBytes) {
    List<LoggedEvent> page = new ArrayList<>();
    long bytes = 0;
    long next = position + 1;
    while (next <= upTo && page.size() < maxEvents && bytes < maxBytes) {
      List<StoredUpdate> rows =
          store.range(next - 1, upTo, Math.min(STORE_BATCH, maxEvents - page.size()));
      boolean contiguous = !rows.isEmpty();
      for (StoredUpdate u : rows) {
        if (u.sequence() != next) {
          contiguous = false; // evicted while this was read: the next read reports it
          break;
        }
        if (bytes >= maxBytes) {
          break;
        }
        LoggedEvent e = logged(u);
        page.add(e);
        bytes += SseWriter.encodedLength(e.event());
        next++;
      }
      if (!contiguous) {
        break;
      }
    }
    return page.isEmpty() ? Optional.empty() : Optional.of(page); // empty: evicted from the store
  }

  private int slot(long sequence) {
    return (int) (sequence % recent.length);
  }
}
