package dev.herald.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the {@code herald} command line in-process, with standard streams in memory. */
final class Cli {
  private Cli() {}

  /** What one run left behind: its exit status and everything it printed. */
  record Result(int status, String out, String err) {
    /** Standard output split into lines, without their line breaks. */
    List<String> outLines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n", -1)).subList(0, lineCount());
    }

    private int lineCount() {
      return (int) out.chars().filter(c -> c == '\n').count();
    }
  }

  static Result run(String stdin, String... args) {
    return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
  }

  static Result run(InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        HeraldCommand.commandLine(stdin, new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Result(status, out.toString(), err.toString());
  }
}
