package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateStore;
import dev.herald.server.Cursor;
import dev.herald.server.EventLog;
import dev.herald.server.LoggedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The broadcaster's view of the hub's history: the most recent updates in memory, the rest in the
 * {@link UpdateStore}. An event's position is its update's store sequence ({@code
 * Cursor.of(sequence)}: dense, in the store's order, which this log, and only it, relies on), and
 * every logged event carries its {@link StoredUpdate} as payload. IDs resolve through the store, so
 * a repeated ID resolves to the earliest update that bears it.
 *
 * <p>{@link #positionOf} and {@link #read} may read the store (blocking): the hub calls them on its
 * replay threads, never on an event loop.
 */
final class HubLog implements EventLog<StoredUpdate> {
  /** The reserved last event ID asking for all history. */
  static final String EARLIEST = "earliest";

  /** The most rows read from the store at once: 32 updates of at most a body's size. */
  private static final int STORE_BATCH = 32;

  private final UpdateStore store;
  private final List<LoggedEvent<StoredUpdate>> recent; // the update with sequence s at s % size
  private int held; // the updates in `recent`: sequences lastSequence - held + 1 to lastSequence
  private long lastSequence;
  private volatile String lastEventId; // read from event loops: never a store read there

  HubLog(UpdateStore store, int window) {
    this.store = store;
    this.recent = new ArrayList<>(Collections.nCopies(window, null));
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
  static LoggedEvent<StoredUpdate> logged(StoredUpdate u) {
    return logged(topicSet(u.update()), toEvent(u.update()), u);
  }

  private static LoggedEvent<StoredUpdate> logged(
      Set<String> topics, SseEvent event, StoredUpdate u) {
    return new LoggedEvent<>(Cursor.of(u.sequence()), topics, u.storedAt(), event, u);
  }

  /**
   * Appends the event of {@code update}, at its store sequence: a position is always its store
   * sequence, even after an update that could not be dispatched.
   *
   * @throws IllegalArgumentException if {@code update} is {@code null} or {@code event} has no ID
   */
  @Override
  public synchronized LoggedEvent<StoredUpdate> append(
      Set<String> topics, SseEvent event, StoredUpdate update) {
    if (update == null) {
      throw new IllegalArgumentException("a hub event needs its stored update");
    }
    LoggedEvent<StoredUpdate> logged = logged(topics, event, update);
    if (update.sequence() != lastSequence + 1) {
      held = 0; // not the next one: what is held would no longer be a run of sequences
    }
    recent.set(slot(update.sequence()), logged);
    held = Math.min(held + 1, recent.size());
    lastSequence = update.sequence();
    lastEventId = event.id();
    return logged;
  }

  @Override
  public synchronized Cursor last() {
    return Cursor.of(lastSequence);
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
  public Optional<Cursor> positionOf(String id) {
    if (!EARLIEST.equals(id)) {
      OptionalLong sequence = store.sequenceOf(id);
      return sequence.isEmpty() ? Optional.empty() : Optional.of(Cursor.of(sequence.getAsLong()));
    }
    long first;
    synchronized (this) {
      first = held == 0 ? lastSequence + 1 : lastSequence - held + 1;
    }
    List<StoredUpdate> oldest = store.range(0, first - 1, 1);
    return Optional.of(Cursor.of((oldest.isEmpty() ? first : oldest.get(0).sequence()) - 1));
  }

  @Override
  public Optional<List<LoggedEvent<StoredUpdate>>> read(
      Cursor after, int maxEvents, long maxBytes) {
    EventLog.checkPage(maxEvents, maxBytes);
    long position = after.major(); // a sequence: this log made the cursor
    long upTo;
    long firstInMemory;
    synchronized (this) {
      upTo = lastSequence;
      firstInMemory = lastSequence - held + 1;
      if (position >= upTo) {
        return Optional.of(List.of());
      }
      if (position + 1 >= firstInMemory) {
        List<LoggedEvent<StoredUpdate>> page = new ArrayList<>();
        long bytes = 0;
        for (long s = position + 1; s <= upTo && page.size() < maxEvents && bytes < maxBytes; s++) {
          LoggedEvent<StoredUpdate> e = recent.get(slot(s));
          page.add(e);
          bytes += SseWriter.encodedLength(e.event());
        }
        return Optional.of(page);
      }
    }
    return readStore(position, Math.min(upTo, firstInMemory - 1), maxEvents, maxBytes);
  }

  /** A page of the updates after {@code position} up to {@code upTo}, read from the store. */
  private Optional<List<LoggedEvent<StoredUpdate>>> readStore(
      long position, long upTo, int maxEvents, long maxBytes) {
    List<LoggedEvent<StoredUpdate>> page = new ArrayList<>();
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
        LoggedEvent<StoredUpdate> e = logged(u);
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
    return (int) (sequence % recent.size());
  }
}
