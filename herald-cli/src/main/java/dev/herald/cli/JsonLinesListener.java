package dev.herald.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.herald.core.SseEvent;
import dev.herald.core.SseListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Prints each dispatched event as one JSON object on a line of its own, with the keys {@code type},
 * {@code data}, {@code lastEventId} and {@code retry} (the reconnection time a {@code retry} field
 * set, in milliseconds, or {@code null} while none has) in that order, and flushes it at once so
 * that a live stream shows live. One rule for {@code herald parse} and {@code herald sub}. Called
 * by one {@code SseParser}, on the thread that feeds it, or by one event source's listener thread.
 */
final class JsonLinesListener implements SseListener {
  // No separator between root values: each line ends with its own newline, written before the
  // flush.
  private static final JsonFactory JSON =
      new JsonFactoryBuilder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .rootValueSeparator((String) null)
          .build();

  private final PrintWriter out;
  private final JsonGenerator json;
  private long retryMillis = -1;
  private boolean outputFailed;

  JsonLinesListener(PrintWriter out) {
    this.out = out;
    try {
      this.json = JSON.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onRetry(long millis) {
    retryMillis = millis;
  }

  @Override
  public void onEvent(SseEvent event) {
    line(event.type(), event.data(), event.id(), null);
  }

  /**
   * Prints that a connection opened, for {@code herald sub}: a line of the same keys whose {@code
   * data} is {@code null} (an event's never is), {@code type} {@code open}, the last event ID and
   * retry in effect, and the {@code url} answered (after redirects).
   */
  void onOpen(String lastEventId, String url) {
    line("open", null, lastEventId, url);
  }

  private void line(String type, String data, String lastEventId, String url) {
    try {
      json.writeStartObject();
      json.writeStringField("type", type);
      json.writeStringField("data", data);
      json.writeStringField("lastEventId", lastEventId);
      json.writeFieldName("retry");
      if (retryMillis < 0) {
        json.writeNull();
      } else {
        json.writeNumber(retryMillis);
      }
      if (url != null) {
        json.writeStringField("url", url);
      }
      json.writeEndObject();
      json.writeRaw('\n');
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    outputFailed |= out.checkError(); // a PrintWriter keeps write errors to itself
  }

  /** Whether writing to the output has failed, for example because a pipe's reader went away. */
  boolean outputFailed() {
    return outputFailed;
  }
}
