package dev.herald.examples.updates;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import dev.herald.server.Replay;
import dev.herald.server.Request;
import dev.herald.server.SseHandler;
import dev.herald.server.SseStream;
import java.util.Set;

/**
 * Subscribes each client to the updates, from after its {@code Last-Event-ID} if it sent one; the
 * broadcaster replays what the client missed before the live updates, without a gap or a repeat.
 * When the history does not hold that ID any more, the client is told with a {@code gap} event
 * rather than left to believe it missed nothing.
 */
final class UpdatesHandler implements SseHandler {
  private final Broadcaster<Void> broadcaster;

  UpdatesHandler(Broadcaster<Void> broadcaster) {
    this.broadcaster = broadcaster;
  }

  @Override
  public void handle(Request request, SseStream stream) {
    Replay replay = broadcaster.subscribe(stream, Set.of(UpdatesDemo.TOPIC), stream.lastEventId());
    if (replay == Replay.UNKNOWN_ID) {
      stream.send(
          SseEvent.of(
              UpdatesDemo.GAP,
              "The history does not reach back to your last update; some were missed."));
    }
  }
}
