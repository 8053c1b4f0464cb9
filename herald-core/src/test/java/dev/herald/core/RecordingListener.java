package dev.herald.core;

import java.util.ArrayList;
import java.util.List;

/** Records everything a parser reports, in order, as readable entries. */
final class RecordingListener implements SseListener {
  final List<SseEvent> events = new ArrayList<>();
  final List<Long> retries = new ArrayList<>();
  final List<String> comments = new ArrayList<>();

  /** Everything, interleaved, for order checks: "event:...", "retry:...", "comment:...". */
  final List<String> log = new ArrayList<>();

  @Override
  public void onEvent(SseEvent event) {
    events.add(event);
    log.add("event:" + event.type() + "/" + event.data() + "/" + event.id());
  }

  @Override
  public void onRetry(long millis) {
    retries.add(millis);
    log.add("retry:" + millis);
  }

  @Override
  public void onComment(String comment) {
    comments.add(comment);
    log.add("comment:" + comment);
  }
}
