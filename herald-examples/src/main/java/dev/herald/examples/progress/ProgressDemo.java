package dev.herald.examples.progress;

import dev.herald.examples.Demo;
import dev.herald.examples.Demos;
import dev.herald.server.HeraldServer;
import dev.herald.server.Request;
import dev.herald.server.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A progress bar for a long job: {@code POST /progress/jobs} starts one; the page follows it with
 * an {@code EventSource} that receives {@code progress} events ({@code id} the percentage), then
 * {@code done}. The server then ends the stream; the browser reconnects with {@code Last-Event-ID:
 * done} and gets {@code 204 No Content}, the standard way to tell an {@code EventSource} to stop.
 *
 * <pre>
 * POST /progress/jobs           → 201 {"job":"k2x9f0"}
 * GET  /progress/events?job=ID  → retry: 1000, event: progress id: 1 …, event: done id: done
 * GET  /progress/events?job=ID  (Last-Event-ID: done) → 204
 * </pre>
 *
 * <p>Jobs live in memory: after a restart their IDs are unknown and get {@code 404}, which stops
 * the browser too. At most {@value #MAX_RUNNING_JOBS} jobs run at once and the last {@value
 * #MAX_KEPT_JOBS} are remembered.
 *
 * @since 0.1
 */
public final class ProgressDemo implements Demo {
  /** The demo's name and path: {@value}. */
  public static final String NAME = "progress";

  /** Jobs running at once at most: {@value}; past it, starting one gets {@code 503}. */
  public static final int MAX_RUNNING_JOBS = 20;

  /** Jobs remembered, running or done: {@value}. */
  public static final int MAX_KEPT_JOBS = 100;

  private final Duration step;
  private final Duration retry;
  private final ScheduledExecutorService timer = Demos.timer(NAME);
  private final Map<String, ProgressJob> jobs =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ProgressJob> eldest) {
          return size() > MAX_KEPT_JOBS;
        }
      };

  /** Jobs of 100 steps of 100 ms; streams ask to reconnect after 1 s. */
  public ProgressDemo() {
    this(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  /** Jobs of 100 steps of {@code step}; streams ask to reconnect after {@code retry}. */
  public ProgressDemo(Duration step, Duration retry) {
    this.step = Objects.requireNonNull(step, "step");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /** Serves this demo alone; see {@link Demos#main} for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    Demos.serve(NAME, args);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String title() {
    return "Progress";
  }

  @Override
  public String description() {
    return "a progress bar for a long job; when it is done, 204 stops the reconnections";
  }

  @Override
  public void mount(HeraldServer.Builder server) {
    server.post("/" + NAME + "/jobs", this::start);
    server.sse("/" + NAME + "/events", new ProgressHandler(this::job));
  }

  private Response start(Request request) {
    ProgressJob job;
    synchronized (jobs) {
      long running = jobs.values().stream().filter(j -> !j.isDone()).count();
      if (running >= MAX_RUNNING_JOBS) {
        return Response.builder(503)
            .header("Retry-After", "10")
            .body("text/plain; charset=utf-8", "too many jobs running; try again soon")
            .build();
      }
      // Random IDs: a page that outlived a restart must not pick up another job of the same ID.
      String id = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
      job = new ProgressJob(id, retry);
      jobs.put(id, job);
    }
    schedule(job);
    return Response.json(201, "{\"job\":\"" + job.id() + "\"}");
  }

  private void schedule(ProgressJob job) {
    try {
      timer.schedule(() -> advance(job), step.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the demo is closing
    }
  }

  private void advance(ProgressJob job) {
    job.step();
    if (!job.isDone()) {
      schedule(job);
    }
  }

  private ProgressJob job(String id) {
    synchronized (jobs) {
      return jobs.get(id);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
