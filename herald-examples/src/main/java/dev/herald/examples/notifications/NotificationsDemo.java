package dev.herald.examples.notifications;

import dev.herald.core.SseEvent;
import dev.herald.examples.Demo;
import dev.herald.examples.Demos;
import dev.herald.server.Broadcaster;
import dev.herald.server.HeraldServer;
import dev.herald.server.RingEventLog;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A notifications feed: a form posts a message to {@code /notifications/notify}; every open page
 * receives it at once as a {@code notification} event, through a {@link Broadcaster} that keeps the
 * last {@value #HISTORY_EVENTS} for pages that reconnect.
 *
 * <pre>
 * POST /notifications/notify  text=Hello  → 202 {"id":"m3c1x-1"}
 * GET  /notifications/events  → event: notification, id: m3c1x-1, data: {"text":"Hello","time":"…"}
 * </pre>
 *
 * <p>The history lives in memory only. Event IDs start with a tag of the server's run, so that
 * after a restart a page's last ID is recognised as unknown (it gets a {@code gap} event) instead
 * of being mistaken for a notification of the new run.
 *
 * @since 0.1
 */
public final class NotificationsDemo implements Demo {
  /** The demo's name and path: {@value}. */
  public static final String NAME = "notifications";

  /** The topic the notifications are published to: {@value}. */
  public static final String TOPIC = "notifications";

  /** The event type of a notification: {@value}. */
  public static final String NOTIFICATION = "notification";

  /** The longest notification text accepted, in characters: {@value}. */
  public static final int MAX_TEXT_LENGTH = 280;

  /** How many notifications the history holds: {@value}. */
  public static final int HISTORY_EVENTS = 100;

  private final Broadcaster<Void> broadcaster =
      Broadcaster.create(RingEventLog.builder().maxEvents(HISTORY_EVENTS).build());
  private final String run;
  private final AtomicLong sequence = new AtomicLong();
  private final Clock clock;

  /** A feed stamped with the system's time. */
  public NotificationsDemo() {
    this(Clock.systemUTC());
  }

  /** A feed stamped with {@code clock}'s time. */
  public NotificationsDemo(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.run = Long.toString(System.currentTimeMillis(), 36);
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
    return "Notifications";
  }

  @Override
  public String description() {
    return "post a message with the form; every open page receives it";
  }

  @Override
  public void mount(HeraldServer.Builder server) {
    server.post("/" + NAME + "/notify", new NotifyHandler(this));
    server.sse("/" + NAME + "/events", new NotificationsHandler(broadcaster));
  }

  /**
   * Publishes {@code text} to every subscriber; returns the notification's ID.
   *
   * @throws IllegalArgumentException if the text is blank or longer than {@value #MAX_TEXT_LENGTH}
   *     characters
   */
  public String notify(String text) {
    String trimmed = Objects.requireNonNull(text, "text").strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "a notification needs 1 to " + MAX_TEXT_LENGTH + " characters");
    }
    String json =
        "{\"text\":"
            + quote(trimmed)
            + ",\"time\":\""
            + clock.instant().truncatedTo(ChronoUnit.MILLIS)
            + "\"}";
    String id = run + "-" + sequence.incrementAndGet();
    return broadcaster.publish(
        TOPIC, SseEvent.builder().type(NOTIFICATION).id(id).data(json).build());
  }

  /** The number of streams subscribed to the notifications. */
  public int subscribers() {
    return broadcaster.subscribers();
  }

  /** {@code text} as a JSON string. */
  static String quote(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Nothing to release: the history is in memory. */
  @Override
  public void close() {}
}
