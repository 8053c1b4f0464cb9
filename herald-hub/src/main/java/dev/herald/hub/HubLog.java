package dev.herald.hub;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateLog;
import dev.herald.server.Cursor;
import dev.herald.server.EventLog;
import dev.herald.server.LoggedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The broadcaster's view of the hub's history: the most recent updates dispatched in memory, the
 * rest in the {@link UpdateLog}. An event's position is its update's cursor in the log, and every
 * logged event carries its {@link StoredUpdate} as payload. Cursors are opaque: the memory tail is
 * found by comparing them, and a gap is what the log reports, never a count. IDs resolve through
 * the log, so a repeated ID resolves to the earliest update that bears it.
 *
 * <p>The tail holds every update dispatched after {@code beforeTail}, in order; older pages come
 * from the log. {@link #positionOf} and {@link #read} may read the log (blocking): the hub calls
 * them on its replay threads, never on an event loop.
 */
final class HubLog implements EventLog<StoredUpdate> {
  /** The most updates read from the log at once: 32 updates of at most a body's size. */
  private static final int LOG_BATCH = 32;

  private final UpdateLog updates;
  private final LoggedEvent<StoredUpdate>[] tail; // a ring: `held` events from `head`, in order
  private int head;
  private int held;
  private Cursor beforeTail; // the tail holds every update dispatched after it
  private Cursor last;
  private volatile String lastEventId; // read from event loops: never a log read there

  @SuppressWarnings("unchecked") // an array of a generic type; only LoggedEvent<StoredUpdate>s
  HubLog(UpdateLog updates, int window) {
    this.updates = updates;
    this.tail = (LoggedEvent<StoredUpdate>[]) new LoggedEvent<?>[window];
    this.last = updates.last(); // once, at start, before any event loop runs
    this.beforeTail = last;
    this.lastEventId = updates.newest().map(u -> u.update().id()).orElse(Reconciliation.EARLIEST);
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
    return new LoggedEvent<>(u.cursor(), topics, u.storedAt(), event, u);
  }

  /**
   * Appends the event of {@code update}, at its cursor in the log.
   *
   * @throws IllegalArgumentException if {@code update} is {@code null} or not after the last one
   */
  @Override
  public synchronized LoggedEvent<StoredUpdate> append(
      Set<String> topics, SseEvent event, StoredUpdate update) {
    if (update == null) {
      throw new IllegalArgumentException("a hub event needs its stored update");
    }
    if (!update.cursor().isAfter(last)) {
      throw new IllegalArgumentException(
          "update " + update.cursor() + " is not after the last dispatched, " + last);
    }
    LoggedEvent<StoredUpdate> logged = logged(topics, event, update);
    if (held == tail.length) {
      beforeTail = tail[head].position();
      head = (head + 1) % tail.length;
      held--;
    }
    tail[(head + held) % tail.length] = logged;
    held++;
    last = update.cursor();
    lastEventId = event.id();
    return logged;
  }

  /**
   * The hub could not dispatch {@code update}: it is not in the tail, so reads up to it go to the
   * log (which has it: resumers get it), and the tail starts again after it.
   */
  synchronized void missed(StoredUpdate update) {
    if (update.cursor().isAfter(last)) {
      held = 0;
      last = update.cursor();
      beforeTail = last;
    }
  }

  /**
   * The shared history was lost: the tail's updates are no longer history (a resumer must not get
   * them from this node while the others no longer have them), so it starts again, empty, after the
   * last update dispatched.
   */
  synchronized void historyLost() {
    held = 0;
    beforeTail = last;
  }

  @Override
  public synchronized Cursor last() {
    return last;
  }

  /** The ID of the last update dispatched, or {@code earliest} if none; never blocks. */
  String lastEventId() {
    return lastEventId;
  }

  /** The cursor of the earliest update with {@code id} the log holds. */
  @Override
  public Optional<Cursor> positionOf(String id) {
    return updates.cursorOf(id);
  }

  /**
   * The position before the oldest update held, in the log or in the tail if that holds more: a
   * replay after it is all the history holds.
   */
  Cursor beforeOldest() {
    Cursor evicted = updates.lastEvicted();
    synchronized (this) {
      return beforeTail.compareTo(evicted) < 0 ? beforeTail : evicted;
    }
  }

  @Override
  public Optional<List<LoggedEvent<StoredUpdate>>> read(
      Cursor after, int maxEvents, long maxBytes) {
    EventLog.checkPage(maxEvents, maxBytes);
    Cursor upTo;
    synchronized (this) {
      if (!last.isAfter(after)) {
        return Optional.of(List.of());
      }
      if (!beforeTail.isAfter(after)) {
        return Optional.of(readTail(after, maxEvents, maxBytes));
      }
      upTo = beforeTail;
    }
    Optional<List<LoggedEvent<StoredUpdate>>> page = readLog(after, upTo, maxEvents, maxBytes);
    if (page.isPresent() && page.get().isEmpty()) {
      return read(upTo, maxEvents, maxBytes); // nothing held up to the tail: go on from there
    }
    return page;
  }

  /** A page of the tail's events after {@code after}. */
  private List<LoggedEvent<StoredUpdate>> readTail(Cursor after, int maxEvents, long maxBytes) {
    List<LoggedEvent<StoredUpdate>> page = new ArrayList<>();
    long bytes = 0;
    for (int i = firstAfter(after); i < held && page.size() < maxEvents && bytes < maxBytes; i++) {
      LoggedEvent<StoredUpdate> e = tail[(head + i) % tail.length];
      page.add(e);
      bytes += SseWriter.encodedLength(e.event());
    }
    return page;
  }

  /** The index, from the oldest held, of the first event in the tail after {@code after}. */
  private int firstAfter(Cursor after) {
    int low = 0;
    int high = held;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (tail[(head + mid) % tail.length].position().isAfter(after)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /**
   * A page of the updates after {@code after} up to {@code upTo}, read from the log; empty (no
   * list) if the log reports a gap before any was read.
   */
  private Optional<List<LoggedEvent<StoredUpdate>>> readLog(
      Cursor after, Cursor upTo, int maxEvents, long maxBytes) {
    List<LoggedEvent<StoredUpdate>> page = new ArrayList<>();
    long bytes = 0;
    Cursor position = after;
    while (page.size() < maxEvents && bytes < maxBytes) {
      int asked = Math.min(LOG_BATCH, maxEvents - page.size());
      Optional<List<StoredUpdate>> rows = updates.read(position, upTo, asked);
      if (rows.isEmpty()) {
        // Evicted: before the first read a gap; later, the next read reports it.
        return page.isEmpty() ? Optional.empty() : Optional.of(page);
      }
      for (StoredUpdate u : rows.get()) {
        if (bytes >= maxBytes) {
          break;
        }
        LoggedEvent<StoredUpdate> e = logged(u);
        page.add(e);
        bytes += SseWriter.encodedLength(e.event());
        position = u.cursor();
      }
      if (rows.get().size() < asked || !upTo.isAfter(position)) {
        break;
      }
    }
    return Optional.of(page);
  }
}
