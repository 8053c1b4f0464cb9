package dev.herald.examples;

import dev.herald.examples.clock.ClockDemo;
import dev.herald.examples.counter.CounterDemo;
import dev.herald.examples.many.ManyDemo;
import dev.herald.examples.notifications.NotificationsDemo;
import dev.herald.examples.progress.ProgressDemo;
import dev.herald.examples.updates.UpdatesDemo;
import dev.herald.server.HeraldServer;
import dev.herald.server.Response;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Serves demos on one {@link HeraldServer}: each under {@code /NAME/} with its page, and an index
 * page linking them at {@code /}. This is what {@code ./herald demo} runs.
 *
 * <pre>{@code
 * try (Demos demos = Demos.builder().port(8080).add("counter", "clock").start()) {
 *   System.out.println("open " + demos.uri());
 *   demos.awaitClose();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class Demos implements AutoCloseable {
  /** The port the demos listen on unless told otherwise: {@value}. */
  public static final int DEFAULT_PORT = 8080;

  /** The names of the demos, in index order. */
  public static final List<String> NAMES =
      List.of(
          CounterDemo.NAME,
          ClockDemo.NAME,
          UpdatesDemo.NAME,
          ProgressDemo.NAME,
          NotificationsDemo.NAME,
          ManyDemo.NAME);

  /** Where the class-path resources of the pages live, one folder per demo. */
  static final String PAGES = "herald-examples/";

  private final HeraldServer server;
  private final List<Demo> demos;
  private final String scheme;
  private final CountDownLatch closed = new CountDownLatch(1);
  private boolean closeStarted;

  private Demos(HeraldServer server, List<Demo> demos, String scheme) {
    this.server = server;
    this.demos = demos;
    this.scheme = scheme;
  }

  /** A builder: 127.0.0.1, port {@value #DEFAULT_PORT}, no demos yet. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The demo called {@code name} with its default settings; the updates demo keeps its history in
   * {@code dataDirectory}.
   *
   * @throws IllegalArgumentException if there is no demo of that name
   */
  public static Demo create(String name, Path dataDirectory) {
    switch (Objects.requireNonNull(name, "name")) {
      case CounterDemo.NAME:
        return new CounterDemo();
      case ClockDemo.NAME:
        return new ClockDemo();
      case UpdatesDemo.NAME:
        return new UpdatesDemo(dataDirectory);
      case ProgressDemo.NAME:
        return new ProgressDemo();
      case NotificationsDemo.NAME:
        return new NotificationsDemo();
      case ManyDemo.NAME:
        return new ManyDemo();
      default:
        throw new IllegalArgumentException(
            "no demo called " + name + "; the demos are " + String.join(", ", NAMES));
    }
  }

  /** The default data directory: {@code herald-demo} in the system's temporary directory. */
  public static Path defaultDataDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "herald-demo");
  }

  /**
   * A single-thread timer for a demo's periodic work, on a daemon thread called {@code
   * herald-demo-NAME}.
   */
  public static ScheduledExecutorService timer(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, "herald-demo-" + name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Serves demos until the process is stopped: {@code [NAME...] [--port N] [--host ADDRESS] [--data
   * DIRECTORY] [--tls]}; no name means all of them.
   */
  public static void main(String[] args) throws InterruptedException {
    serve(List.of(), args);
  }

  /** Serves the demo called {@code name}, for that demo's own {@code main}; see {@link #main}. */
  public static void serve(String name, String[] args) throws InterruptedException {
    serve(List.of(name), args);
  }

  private static void serve(List<String> fixed, String[] args) throws InterruptedException {
    Builder builder = builder();
    List<String> names = new ArrayList<>(fixed);
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port":
            builder.port(Integer.parseInt(value(args, ++i)));
            break;
          case "--host":
            builder.host(value(args, ++i));
            break;
          case "--data":
            builder.dataDirectory(Path.of(value(args, ++i)));
            break;
          case "--tls":
            builder.tlsSelfSigned();
            break;
          default:
            if (args[i].startsWith("-") || !fixed.isEmpty()) {
              throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            names.add(args[i]);
        }
      }
      builder.add(names.isEmpty() ? NAMES.toArray(new String[0]) : names.toArray(new String[0]));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: [NAME...] [--port N] [--host ADDRESS] [--data DIRECTORY] [--tls]; names: "
              + String.join(" ", NAMES));
      System.exit(2);
      return;
    }
    Demos demos = builder.start().closeOnShutdown();
    for (String line : demos.describe()) {
      System.out.println(line);
    }
    demos.awaitClose();
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** The server. */
  public HeraldServer server() {
    return server;
  }

  /** The demos served, in index order. */
  public List<Demo> demos() {
    return demos;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The index page. */
  public URI uri() {
    return URI.create(scheme + "://127.0.0.1:" + port() + "/");
  }

  /** The page of the demo called {@code name}. */
  public URI uri(String name) {
    return uri().resolve(name + "/");
  }

  /** Lines saying where to find each page, for a terminal. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("Herald demos on " + uri() + " (Ctrl-C stops them)");
    for (Demo demo : demos) {
      lines.add(String.format("  %-14s %s", demo.name(), uri(demo.name())));
    }
    return lines;
  }

  /** Closes the demos when the JVM shuts down (Ctrl-C, SIGTERM); returns this. */
  public Demos closeOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "herald-demo-shutdown"));
    return this;
  }

  /** Waits until {@link #close} has finished. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  /** Stops the server gracefully over its drain period, then the demos. Idempotent. */
  @Override
  public void close() {
    close(Duration.ofMillis(HeraldServer.DEFAULT_DRAIN_MILLIS));
  }

  /**
   * Stops the server, closing streams over {@code drain} with a {@code retry} hint so that pages
   * reconnect soon after a restart; then stops the demos. Idempotent; a second call waits for the
   * first.
   */
  public void close(Duration drain) {
    synchronized (this) {
      if (closeStarted) {
        awaitClosedUninterruptibly();
        return;
      }
      closeStarted = true;
    }
    try {
      server.close(drain);
    } finally {
      demos.forEach(Demo::close);
      closed.countDown();
    }
  }

  private void awaitClosedUninterruptibly() {
    boolean interrupted = false;
    while (closed.getCount() > 0) {
      try {
        closed.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Response redirect(String location) {
    return Response.builder(308).header("Location", location).build();
  }

  /** Configures and starts {@link Demos}. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private Path dataDirectory = defaultDataDirectory();
    private final Map<String, Demo> demos = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private Consumer<HeraldServer.Builder> serverOptions = server -> {};
    private boolean tls;

    private Builder() {}

    /** The address to bind; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port, 0 for any free one; default {@value #DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Where the updates demo keeps its history; default {@link #defaultDataDirectory()}. */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Adds the demos called {@code names}, with their default settings, created at {@link #start}.
     *
     * @throws IllegalArgumentException if a name is not one of {@link #NAMES}
     */
    public Builder add(String... names) {
      for (String name : names) {
        if (!NAMES.contains(name)) {
          throw new IllegalArgumentException(
              "no demo called " + name + "; the demos are " + String.join(", ", NAMES));
        }
        this.names.add(name);
      }
      return this;
    }

    /** Adds {@code demo} as it is, for example with shorter periods. */
    public Builder add(Demo demo) {
      demos.put(demo.name(), demo);
      return this;
    }

    /**
     * Serves over TLS with a self-signed certificate generated at start, for development: browsers
     * then speak HTTP/2 (through ALPN), and all ten sources of the many demo run. Browsers warn
     * about the certificate; accept it for this address.
     */
    public Builder tlsSelfSigned() {
      this.tls = true;
      return this;
    }

    /** Further server settings, applied after the host, the port, TLS and the routes. */
    public Builder server(Consumer<HeraldServer.Builder> options) {
      this.serverOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Creates the demos added by name, mounts every demo and starts serving.
     *
     * @throws IllegalStateException if no demo was added
     * @throws java.io.UncheckedIOException if the port cannot be bound or a demo cannot open its
     *     files
     */
    public Demos start() {
      List<Demo> all = new ArrayList<>();
      boolean started = false;
      try {
        for (String name : NAMES) {
          if (demos.containsKey(name)) {
            all.add(demos.get(name));
          } else if (names.contains(name)) {
            all.add(create(name, dataDirectory));
          }
        }
        if (all.isEmpty()) {
          throw new IllegalStateException("no demo to serve");
        }
        HeraldServer.Builder server = HeraldServer.builder().host(host).port(port);
        if (tls) {
          server.tlsSelfSigned();
        }
        for (Demo demo : all) {
          mount(server, demo);
        }
        server.get("/", new IndexPage(all));
        serverOptions.accept(server);
        Demos running = new Demos(server.build().start(), List.copyOf(all), tls ? "https" : "http");
        started = true;
        return running;
      } finally {
        if (!started) { // whatever was thrown, checked ones included
          all.forEach(Demo::close);
          demos.values().forEach(Demo::close);
        }
      }
    }

    private static void mount(HeraldServer.Builder server, Demo demo) {
      String base = "/" + demo.name();
      demo.mount(server);
      server.get(base, request -> redirect(base + "/")); // relative URLs need the slash
      server.staticResources(base + "/", Demos.class.getClassLoader(), PAGES + demo.name() + "/");
    }
  }
}
