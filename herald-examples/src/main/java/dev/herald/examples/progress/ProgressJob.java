package dev.herald.examples.progress;

import dev.herald.core.SseEvent;
import dev.herald.server.SseStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A pretend long job that advances one percent per step, and the streams watching it. It keeps
 * every event it made, so a stream that reconnects with {@code Last-Event-ID} gets what it missed.
 *
 * <p>Thread-safe: the timer calls {@link #step}, event loops call {@link #watch}.
 */
final class ProgressJob {
  /** The ID of the {@code done} event, which a finished job answers with {@code 204}. */
  static final String DONE_ID = "done";

  private final String id;
  private final Duration retry;
  private final List<SseEvent> events = new ArrayList<>();
  private final Set<SseStream> watchers = new LinkedHashSet<>();
  private int percent;
  private boolean done;

  ProgressJob(String id, Duration retry) {
    this.id = id;
    this.retry = retry;
  }

  String id() {
    return id;
  }

  synchronized boolean isDone() {
    return done;
  }

  /** Advances one percent; at 100 the job is done and its streams end. */
  synchronized void step() {
    if (done) {
      return;
    }
    percent++;
    publish(
        SseEvent.builder()
            .type("progress")
            .id(Integer.toString(percent))
            .data("{\"percent\":" + percent + "}")
            .build());
    if (percent == 100) {
      done = true;
      publish(
          SseEvent.builder()
              .type("done")
              .id(DONE_ID)
              .data("{\"job\":\"" + id + "\",\"result\":\"finished\"}")
              .build());
      // The browser will reconnect once the stream ends; the job then answers 204 (see watch).
      watchers.forEach(SseStream::close);
      watchers.clear();
    }
  }

  private void publish(SseEvent event) {
    events.add(event);
    for (SseStream stream : watchers) {
      stream.send(event);
    }
  }

  /**
   * Serves {@code stream}: {@code 204} if the client already saw the {@code done} event, so that it
   * stops reconnecting; otherwise every event after its last ID, then live ones until done.
   */
  synchronized void watch(SseStream stream) {
    String last = stream.lastEventId();
    if (done && DONE_ID.equals(last)) {
      stream.reject(204, "");
      return;
    }
    stream.retry(retry);
    for (int i = indexAfter(last); i < events.size(); i++) {
      stream.send(events.get(i));
    }
    if (done) {
      stream.close(); // it missed the end: it has it now
      return;
    }
    watchers.add(stream);
    stream.onClose(() -> unwatch(stream));
  }

  private synchronized void unwatch(SseStream stream) {
    watchers.remove(stream);
  }

  /** The index of the first event after the one with ID {@code last}; 0 if there is none. */
  private int indexAfter(String last) {
    for (int i = 0; last != null && i < events.size(); i++) {
      if (last.equals(events.get(i).id())) {
        return i + 1;
      }
    }
    return 0;
  }
}
