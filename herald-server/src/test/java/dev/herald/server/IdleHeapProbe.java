package dev.herald.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: a repeatable measurement of the server's live heap per idle SSE subscriber. Starts a
 * {@link HeraldServer} with a {@link Broadcaster} route ({@code GET /sub/*}, as the bench server)
 * in a child JVM, opens N idle subscriptions to it from this JVM, and diffs the child's class
 * histograms ({@code jcmd PID GC.class_histogram}, which collects first) taken before and after.
 *
 * <pre>
 * ./mvnw -q -B -o test-compile -pl herald-server
 * ./mvnw -q -B -o dependency:build-classpath -pl herald-server -Dmdep.outputFile=/tmp/cp.txt
 * java -cp herald-server/target/classes:herald-server/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.herald.server.IdleHeapProbe 5000
 * </pre>
 */
public final class IdleHeapProbe {
  private static final byte[] REQUEST =
      ("GET /sub/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
              + "Cache-Control: no-cache\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private IdleHeapProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      serve();
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server =
        new ProcessBuilder(
                java.toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                IdleHeapProbe.class.getName(),
                "server")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter in = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
      int port = Integer.parseInt(out.readLine());
      List<SocketChannel> warm = open(port, 200);
      for (SocketChannel c : warm) {
        c.close();
      }
      Thread.sleep(500);
      Map<String, long[]> before = histogram(server.pid());
      List<SocketChannel> held = open(port, n);
      in.println("count");
      String subscribers = out.readLine();
      Map<String, long[]> after = histogram(server.pid());
      report(n, subscribers, before, after);
      for (SocketChannel c : held) {
        c.close();
      }
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void serve() throws IOException {
    Broadcaster<Void> broadcaster =
        Broadcaster.create(RingEventLog.builder().maxEvents(1000).build());
    HeraldServer server =
        HeraldServer.builder()
            .host("127.0.0.1")
            .port(0)
            .sse(
                "/sub/*",
                (request, stream) ->
                    broadcaster.subscribe(
                        stream, Set.of(request.path().substring(5)), stream.lastEventId()))
            .build()
            .start();
    System.out.println(server.port());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      System.out.println(broadcaster.subscribers());
    }
    server.close();
  }

  private static List<SocketChannel> open(int port, int n) throws IOException {
    List<SocketChannel> channels = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      c.write(ByteBuffer.wrap(REQUEST));
      channels.add(c);
    }
    ByteBuffer buf = ByteBuffer.allocate(4096);
    for (SocketChannel c : channels) {
      buf.clear();
      if (c.read(buf) <= 0) {
        throw new IOException("no response head");
      }
    }
    return channels;
  }

  /** Class name to {instances, bytes}, after the full collection jcmd makes. */
  private static Map<String, long[]> histogram(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Map<String, long[]> classes = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      } else if (f.length >= 3 && f[0].equals("Total")) {
        classes.put("(total)", new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return classes;
  }

  private static void report(
      int n, String subscribers, Map<String, long[]> before, Map<String, long[]> after) {
    List<String[]> rows = new ArrayList<>();
    List<Map.Entry<String, long[]>> grown = new ArrayList<>();
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
    }
    grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    System.out.printf("subscribers held: %d (broadcaster: %s)%n", n, subscribers);
    System.out.printf("%10s %10s  %s%n", "bytes/sub", "inst/sub", "class");
    for (Map.Entry<String, long[]> e : grown) {
      double bytes = e.getValue()[1] / (double) n;
      if (Math.abs(bytes) >= 4 || e.getKey().equals("(total)")) {
        System.out.printf("%10.1f %10.2f  %s%n", bytes, e.getValue()[0] / (double) n, e.getKey());
      }
    }
    long[] total =
        grown.stream().filter(e -> e.getKey().equals("(total)")).findFirst().get().getValue();
    System.out.printf("live heap per subscriber: %.2f KiB%n", total[1] / 1024.0 / n);
    rows.clear();
  }
}
