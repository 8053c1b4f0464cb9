package dev.herald.cli;

import dev.herald.client.EventSource;
import dev.herald.client.EventSourceListener;
import dev.herald.client.ResponseException;
import dev.herald.client.ResponseInfo;
import dev.herald.core.SseEvent;
import dev.herald.core.SseParser;
import dev.herald.core.SseWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald sub [URL]}: subscribes to an event stream with Herald's {@link EventSource} and
 * prints each event as it arrives, reconnecting as the client does, until the connection fails for
 * good. Without a URL it subscribes to the Mercure hub at {@code --hub} ({@link HubUrl}'s rule, as
 * {@code pub} and {@code token}) with {@code --match} and {@code --match-urlpattern}, every topic
 * by default.
 */
@Command(
    name = "sub",
    mixinStandardHelpOptions = true,
    description = {
      "Subscribes to an event stream and prints its events as they arrive.",
      "%nWithout URL, subscribes to the Mercure hub at --hub (or HERALD_HUB_URL, as herald pub"
          + " and token) with the topics of --match and --match-urlpattern (every topic if"
          + " neither is given).",
      "%nConnects as a browser's EventSource does and reconnects the same way (with the last event"
          + " ID as Last-Event-ID, after the server's retry time), until the connection fails for"
          + " good: a status other than 200, a Content-Type other than text/event-stream.",
      "%nEach event is printed in the event-stream format: an 'event: TYPE' line, an 'id: ID'"
          + " line when the last event ID is not empty, one 'data: ' line per line of data, and a"
          + " blank line. With --json, one JSON object per line instead, as 'herald parse' prints"
          + " it: type, data, lastEventId, and retry, the reconnection time the stream set in"
          + " milliseconds (null until it sets one); and, each time a connection opens, a line"
          + " of type open whose data is null, with the url answered.",
      "%nConnection changes are reported on standard error: 'connected to URL' when a stream"
          + " opens. The exit status is 0 when the server"
          + " ends the subscription with 204 No Content, 1 when the connection fails otherwise.%n"
    })
final class SubCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "URL",
      arity = "0..1",
      description = "The event stream's http or https URL (default: the hub at --hub).")
  private URI url;

  @Mixin private HubUrl hub;

  @Option(
      names = "--match",
      paramLabel = "TOPIC",
      description = "Without URL: a topic to receive, or * for all; repeatable.")
  private List<String> match = new ArrayList<>();

  @Option(
      names = "--match-urlpattern",
      paramLabel = "PATTERN",
      description = "Without URL: a URL pattern of topics to receive; repeatable.")
  private List<String> matchUrlPattern = new ArrayList<>();

  @Option(names = "--json", description = "Print one JSON object per event and line.")
  private boolean json;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description = "A request header, sent on every connection; repeatable.")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = "--last-event-id",
      paramLabel = "ID",
      description = "The last event ID to resume from: sent as Last-Event-ID on the first request.")
  private String lastEventId;

  @Option(
      names = "--max-line-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + SseParser.DEFAULT_MAX_LINE_BYTES,
      description =
          "The longest line accepted, in bytes; a longer one drops the connection, which is"
              + " retried (default: ${DEFAULT-VALUE}).")
  private int maxLineBytes;

  @Option(
      names = "--max-event-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + SseParser.DEFAULT_MAX_EVENT_BYTES,
      description = "The largest data of one event, in bytes (default: ${DEFAULT-VALUE}).")
  private int maxEventBytes;

  SubCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Printer printer = new Printer(out);
    EventSource.Builder builder = builder().listener(printer);
    EventSource source = builder.build();
    printer.source = source;
    source.start();
    try {
      printer.done.await();
    } finally {
      source.close();
    }
    return printer.status;
  }

  private EventSource.Builder builder() {
    if (url != null && !(match.isEmpty() && matchUrlPattern.isEmpty())) {
      throw new ParameterException(
          spec.commandLine(), "--match and --match-urlpattern are for the hub at --hub, not a URL");
    }
    EventSource.Builder builder;
    try {
      builder = EventSource.builder(url != null ? url : hubSubscription());
      for (String header : headers) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("--header must be 'Name: value': " + header);
        }
        builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
      }
      if (lastEventId != null) {
        builder.lastEventId(lastEventId);
      }
      builder.maxLineBytes(ParseCommand.positive(spec, "--max-line-bytes", maxLineBytes));
      builder.maxEventBytes(ParseCommand.positive(spec, "--max-event-bytes", maxEventBytes));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return builder;
  }

  /**
   * The hub's URL with a query of the matchers asked for ({@code match=*} if none).
   *
   * @throws ParameterException if a matcher is given with a URL, or the hub's URL is not one
   */
  private URI hubSubscription() {
    StringBuilder query = new StringBuilder();
    for (String topic : match.isEmpty() && matchUrlPattern.isEmpty() ? List.of("*") : match) {
      query.append(query.length() == 0 ? "" : "&").append("match=").append(encode(topic));
    }
    for (String pattern : matchUrlPattern) {
      query.append(query.length() == 0 ? "" : "&").append("match_urlpattern=");
      query.append(encode(pattern));
    }
    String base = hub.uri().toString();
    return URI.create(base + (base.indexOf('?') < 0 ? "?" : "&") + query);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Prints on the source's thread, and ends the command when the source fails for good. */
  private final class Printer implements EventSourceListener {
    final CountDownLatch done = new CountDownLatch(1);
    final JsonLinesListener jsonLines;
    final PrintWriter out;
    volatile EventSource source;
    volatile int status = 1;

    Printer(PrintWriter out) {
      this.out = out;
      this.jsonLines = new JsonLinesListener(out);
    }

    @Override
    public void onOpen(ResponseInfo response) {
      error("connected to " + response.uri());
      if (json) {
        jsonLines.onOpen(source.lastEventId(), response.uri().toString());
        checkOutput();
      }
    }

    @Override
    public void onRetry(Duration reconnectionTime) {
      jsonLines.onRetry(reconnectionTime.toMillis());
    }

    @Override
    public void onEvent(SseEvent event) {
      if (json) {
        jsonLines.onEvent(event);
      } else {
        SseEvent.Builder shown = SseEvent.builder().type(event.type()).data(event.data());
        if (!event.id().isEmpty()) {
          shown.id(event.id());
        }
        out.print(new String(SseWriter.encode(shown.build()), StandardCharsets.UTF_8));
        out.flush();
      }
      checkOutput();
    }

    private void checkOutput() {
      if (out.checkError()) {
        error("cannot write to standard output");
        done.countDown();
      }
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
      if (willRetry) {
        error(reason(error) + "; reconnecting");
        return;
      }
      if (error instanceof ResponseException && ((ResponseException) error).status() == 204) {
        error("the server ended the subscription (204 No Content)");
        status = 0;
      } else {
        error(reason(error));
      }
      done.countDown();
    }

    private void error(String message) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("herald sub: " + message);
      err.flush();
    }
  }

  private static String reason(Throwable error) {
    return Failures.cause(error);
  }
}
