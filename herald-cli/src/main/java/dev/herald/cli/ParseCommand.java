package dev.herald.cli;

import dev.herald.core.SseLimitExceededException;
import dev.herald.core.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code herald parse FILE|-}: reads an event stream and prints each dispatched event as a JSON
 * line, as it is dispatched. Input is read in chunks as they arrive, so {@code tail -f log | herald
 * parse -} prints events live.
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the events of a stream as JSON lines.",
      "%nReads an event stream and prints one JSON object per dispatched event, one per line, as"
          + " soon as the event is dispatched: type, data and lastEventId as a browser's"
          + " MessageEvent reports them, and retry, the reconnection time in effect in"
          + " milliseconds (null if the stream never set one).%n"
    })
final class ParseCommand implements Callable<Integer> {
  private static final int CHUNK_BYTES = 8192;
  private static final String STDIN = "-";

  @ParentCommand private HeraldCommand parent;

  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The stream to read; - for standard input.")
  private String file;

  @Option(
      names = "--max-line-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + SseParser.DEFAULT_MAX_LINE_BYTES,
      description = "The longest line accepted, in bytes (default: ${DEFAULT-VALUE}).")
  private int maxLineBytes;

  @Option(
      names = "--max-event-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + SseParser.DEFAULT_MAX_EVENT_BYTES,
      description = "The largest data of one event, in bytes (default: ${DEFAULT-VALUE}).")
  private int maxEventBytes;

  ParseCommand() {}

  @Override
  public Integer call() {
    JsonLinesListener listener = new JsonLinesListener(spec.commandLine().getOut());
    SseParser parser =
        SseParser.builder()
            .maxLineBytes(positive("--max-line-bytes", maxLineBytes))
            .maxEventBytes(positive("--max-event-bytes", maxEventBytes))
            .build(listener);
    String source = STDIN.equals(file) ? "standard input" : file;
    try {
      if (STDIN.equals(file)) {
        return parse(parent.stdin(), parser, listener);
      }
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        return parse(in, parser, listener);
      }
    } catch (IOException e) {
      return fail("cannot read " + source + ": " + reason(e));
    } catch (InvalidPathException e) {
      return fail("cannot read " + source + ": " + e.getReason());
    } catch (UncheckedIOException e) {
      return fail("cannot write to standard output: " + reason(e.getCause()));
    } catch (SseLimitExceededException e) {
      return fail(source + ": " + e.getMessage() + "; raise it with " + optionName(e.limitName()));
    }
  }

  private int parse(InputStream in, SseParser parser, JsonLinesListener listener)
      throws IOException {
    byte[] chunk = new byte[CHUNK_BYTES];
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      parser.feed(chunk, 0, n);
      if (listener.outputFailed()) {
        return fail("cannot write to standard output");
      }
    }
    parser.end();
    return 0;
  }

  private int fail(String message) {
    spec.commandLine().getErr().println("herald parse: " + message);
    spec.commandLine().getErr().flush();
    return 1;
  }

  private int positive(String option, int value) {
    return positive(spec, option, value);
  }

  /** {@code value} of a byte limit {@code option}, else a usage error of {@code spec}'s command. */
  static int positive(CommandSpec spec, String option, int value) {
    if (value <= 0) {
      throw new ParameterException(
          spec.commandLine(), option + " must be a positive number of bytes: " + value);
    }
    return value;
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The option that sets a limit: maxLineBytes is --max-line-bytes. */
  private static String optionName(String limitName) {
    return "--" + limitName.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
  }
}
