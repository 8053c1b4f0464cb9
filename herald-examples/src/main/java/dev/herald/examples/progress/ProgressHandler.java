package dev.herald.examples.progress;

import dev.herald.server.Request;
import dev.herald.server.SseHandler;
import dev.herald.server.SseStream;
import java.util.function.Function;

/**
 * Streams the progress of the job named by the query parameter {@code job}: {@code progress}
 * events, then {@code done}, then the end of the stream. The browser reconnects after the end, as
 * it always does, and gets {@code 204}, which tells it to stop. An unknown job gets {@code 404}.
 */
final class ProgressHandler implements SseHandler {
  private final Function<String, ProgressJob> jobs;

  ProgressHandler(Function<String, ProgressJob> jobs) {
    this.jobs = jobs;
  }

  @Override
  public void handle(Request request, SseStream stream) {
    String id = request.query("job");
    ProgressJob job = id == null ? null : jobs.apply(id);
    if (job == null) {
      stream.reject(404, "no such job: " + id + " (jobs do not outlive the server)");
      return;
    }
    job.watch(stream);
  }
}
