package dev.herald.examples.notifications;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import dev.herald.server.Replay;
import dev.herald.server.Request;
import dev.herald.server.SseHandler;
import dev.herald.server.SseStream;
import java.util.Set;

/**
 * Subscribes each client to the notifications, replaying those after its {@code Last-Event-ID}; a
 * {@code gap} event tells a client whose last ID the history does not hold that it may have missed
 * some.
 */
final class NotificationsHandler implements SseHandler {
  private final Broadcaster<Void> broadcaster;

  NotificationsHandler(Broadcaster<Void> broadcaster) {
    this.broadcaster = broadcaster;
  }

  @Override
  public void handle(Request request, SseStream stream) {
    Replay replay =
        broadcaster.subscribe(stream, Set.of(NotificationsDemo.TOPIC), stream.lastEventId());
    if (replay == Replay.UNKNOWN_ID) {
      stream.send(
          SseEvent.of("gap", "The server no longer has your last notification; some were missed."));
    }
  }
}
