package dev.herald.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Pages of an {@link EventLog} for subscriptions catching up: read on the history reader, encoded
 * once, and shared — the subscriptions that resume from the same position (a reconnection storm:
 * thousands of clients come back from the same ID) wait for one read of each page, and a page that
 * holds events stays cached, within {@link #CACHE_BYTES}, for those that come a little later.
 * Thread-safe.
 */
final class HistoryPages<P> {
  /** The most events a page holds. */
  static final int PAGE_EVENTS = 256;

  /**
   * The most bytes of encoded events a page holds (one event more can take it past): a quarter of
   * the default per-subscriber budget, so that a subscriber catching up holds a page and a few live
   * events at most.
   */
  static final int PAGE_BYTES = 128 * 1024;

  /** The most memory pages kept for later readers may hold ({@link Page#retained}). */
  static final long CACHE_BYTES = 32L * 1024 * 1024;

  /**
   * The events after {@code after} that a read found, with their chunks; or a {@code gap}: the log
   * no longer holds every event after {@code after}.
   */
  record Page<P>(
      Cursor after, List<LoggedEvent<P>> events, byte[][] chunks, long bytes, boolean gap) {
    /** The position a reader that has taken this page resumes after. */
    Cursor last() {
      return events.isEmpty() ? after : events.get(events.size() - 1).position();
    }

    /**
     * About the memory the page holds: its chunks, and its events, whose data is a second copy of
     * theirs (kept for the subscriptions' {@link Interest#wants} and the positions).
     */
    long retained() {
      return 2 * bytes;
    }
  }

  private final EventLog<P> log;
  private final Executor reader;
  private final Map<Cursor, CompletableFuture<Page<P>>> pages =
      new LinkedHashMap<>(16, 0.75f, true);
  private long cachedBytes; // of the completed pages in `pages`

  HistoryPages(EventLog<P> log, Executor reader) {
    this.log = log;
    this.reader = reader;
  }

  /** The page after {@code position}: read on the history reader, or shared with another reader. */
  CompletableFuture<Page<P>> after(Cursor position) {
    CompletableFuture<Page<P>> page;
    synchronized (this) {
      page = pages.get(position);
      if (page != null) {
        return page;
      }
      page = new CompletableFuture<>();
      pages.put(position, page);
    }
    CompletableFuture<Page<P>> reading = page;
    try {
      reader.execute(() -> read(position, reading));
    } catch (RejectedExecutionException stopped) {
      forget(position, reading);
      reading.completeExceptionally(stopped);
    }
    return reading;
  }

  private void read(Cursor position, CompletableFuture<Page<P>> into) {
    Page<P> page;
    try {
      Optional<List<LoggedEvent<P>>> events = log.read(position, PAGE_EVENTS, PAGE_BYTES);
      page = events.isPresent() ? encode(position, events.get()) : gap(position);
    } catch (RuntimeException | Error e) {
      forget(position, into);
      into.completeExceptionally(e);
      return;
    }
    synchronized (this) {
      if (page.events().isEmpty()) {
        pages.remove(position, into); // the end of the log, or a gap: read again next time
      } else {
        cachedBytes += page.retained();
        trim();
      }
    }
    into.complete(page);
  }

  private synchronized void forget(Cursor position, CompletableFuture<Page<P>> page) {
    pages.remove(position, page);
  }

  /** Drops the least recently used completed pages while the cache is over its bound. */
  private void trim() {
    Iterator<CompletableFuture<Page<P>>> eldest = pages.values().iterator();
    while (cachedBytes > CACHE_BYTES && eldest.hasNext()) {
      Page<P> page = eldest.next().getNow(null);
      if (page != null) {
        cachedBytes -= page.retained();
        eldest.remove();
      }
    }
  }

  private static <P> Page<P> encode(Cursor after, List<LoggedEvent<P>> events) {
    byte[][] chunks = new byte[events.size()][];
    long bytes = 0;
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = ChunkFrames.bytes(events.get(i).event());
      bytes += chunks[i].length;
    }
    return new Page<>(after, List.copyOf(events), chunks, bytes, false);
  }

  private static <P> Page<P> gap(Cursor after) {
    return new Page<>(after, List.of(), new byte[0][], 0, true);
  }
}
