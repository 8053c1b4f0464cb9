package dev.herald.cli;

import dev.herald.examples.Demos;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald demo [NAME...]}: serves Herald's demos (herald-examples) on one port, with an index
 * page, until the process is stopped; Ctrl-C shuts the server down gracefully.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the demos with their web pages.",
      "%nServes Herald's demos on one port until stopped (Ctrl-C): each at /NAME/, with an index"
          + " page at /. Open the address it prints in a browser.%n"
    })
final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..*",
      completionCandidates = Names.class,
      description = "The demos to serve, all of them if none is named: ${COMPLETION-CANDIDATES}.")
  private List<String> names = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + Demos.DEFAULT_PORT,
      description = "The port to listen on, 0 for any free (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "The address to listen on (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = "--tls",
      description =
          "Serve HTTPS with a self-signed certificate made at start, for development: browsers"
              + " then speak HTTP/2, so all ten event sources of the many demo run. The browser"
              + " warns about the certificate; accept it for this address.")
  private boolean tls;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${sys:java.io.tmpdir}/herald-demo",
      description = "Where the updates demo keeps its history (default: ${DEFAULT-VALUE}).")
  private Path data;

  DemoCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0..65535: " + port);
    }
    Demos.Builder builder = Demos.builder().host(host).port(port).dataDirectory(data);
    try {
      builder.add((names.isEmpty() ? Demos.NAMES : names).toArray(new String[0]));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (tls) {
      builder.tlsSelfSigned();
    }
    Demos demos;
    try {
      demos = builder.start();
    } catch (Exception e) { // Netty's bind failure is a checked exception, thrown unchecked
      PrintWriter err = spec.commandLine().getErr();
      err.println("herald demo: cannot serve on " + host + ":" + port + ": " + reason(e));
      err.flush();
      return 1;
    }
    demos.closeOnShutdown();
    PrintWriter out = spec.commandLine().getOut();
    demos.describe().forEach(out::println);
    out.flush();
    demos.awaitClose();
    return 0;
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The demos' names, for the usage message and shell completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Demos.NAMES.iterator();
    }
  }
}
