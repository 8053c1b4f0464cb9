package dev.herald.cli;

import dev.herald.bench.cli.BenchCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code herald} command, Herald's command line and the entry point of the {@code ./herald}
 * launcher. Its subcommands do the work; on its own it prints its usage.
 *
 * <pre>{@code
 * ./herald parse events.txt
 * tail -f events.log | ./herald parse -
 * ./herald help parse
 * }</pre>
 *
 * <p>Standard output and standard error are written in UTF-8, whatever the platform's default
 * charset. The exit status is 0 on success, 1 when a command fails and 2 for a usage error.
 *
 * <p>Not thread-safe: an instance runs one command line.
 *
 * @since 0.1
 */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = HeraldCommand.Version.class,
    description = "Server-sent events for the JVM.",
    subcommands = {
      HubCommand.class,
      PubCommand.class,
      TokenCommand.class,
      ParseCommand.class,
      SubCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      HelpCommand.class
    })
public final class HeraldCommand implements Runnable {
  private final InputStream stdin;

  @Spec private CommandSpec spec;

  private HeraldCommand(InputStream stdin) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
  }

  /**
   * Runs the command line {@code args} on the process's standard streams, then exits with its
   * status.
   */
  public static void main(String[] args) {
    PrintWriter out = utf8(new FileOutputStream(FileDescriptor.out));
    PrintWriter err = utf8(new FileOutputStream(FileDescriptor.err));
    int status = commandLine(System.in, out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** The command line reading {@code stdin} and writing to {@code out} and {@code err}. */
  static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
    return new CommandLine(new HeraldCommand(stdin)).setOut(out).setErr(err);
  }

  /** Standard input, for the commands that read {@code -}. */
  InputStream stdin() {
    return stdin;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command");
  }

  private static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
  }

  /** Herald's version, from the build, and the JVM's. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties build = new Properties();
      try (InputStream in = HeraldCommand.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new IOException("version.properties is missing from the build");
        }
        build.load(in);
      }
      return new String[] {
        "herald " + build.getProperty("version"),
        "JVM: "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
