package dev.herald.bench.jmh;

import dev.herald.bench.jmh.BenchReport.Stats;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The table of {@link ClientBenchmark} for {@code BENCHMARKS.md}, printed by {@link BenchReport}:
 * events per second of each client for each payload, framing and stream length, and Herald's
 * listener against the faster reference. Events per second are operations per second times the
 * events of one connection; each figure is the median over forks, with the slowest and fastest in
 * brackets.
 */
final class ClientReport {
  private static final String CLIENT = "ClientBenchmark";
  private static final List<ClientHarness> REFERENCES =
      List.of(ClientHarness.OKHTTP_SSE, ClientHarness.LAUNCHDARKLY);

  private final List<JmhResult> results;
  private final PrintStream out;

  ClientReport(List<JmhResult> results, PrintStream out) {
    this.results = results.stream().filter(r -> r.benchmark().equals(CLIENT)).toList();
    this.out = out;
  }

  /** Prints the table, one row per payload, framing and number of events found. */
  void print() {
    out.printf("%n#### Clients (million events/s)%n%n| data | framing | events/op | ");
    for (ClientHarness client : ClientHarness.values()) {
      out.printf("%s | ", client.title());
    }
    out.printf("Herald / best reference |%n| --- | --- | ---: |");
    out.printf(" ---: |".repeat(ClientHarness.values().length + 1) + "%n");
    for (ClientPayload payload : ClientPayload.values()) {
      for (BodyFraming framing : BodyFraming.values()) {
        for (int events : eventCounts(payload, framing)) {
          printRow(payload, framing, events);
        }
      }
    }
  }

  private void printRow(ClientPayload payload, BodyFraming framing, int events) {
    StringBuilder row = new StringBuilder();
    row.append(
        String.format(Locale.ROOT, "| %s | %s | %,d |", payload.label(), framing.label(), events));
    for (ClientHarness client : ClientHarness.values()) {
      row.append(' ')
          .append(
              eventsPerSecond(client, payload, framing, events).map(Stats::toString).orElse("–"))
          .append(" |");
    }
    Optional<Stats> herald = eventsPerSecond(ClientHarness.HERALD, payload, framing, events);
    Optional<Stats> best =
        REFERENCES.stream()
            .flatMap(r -> eventsPerSecond(r, payload, framing, events).stream())
            .max((a, b) -> Double.compare(a.median(), b.median()));
    String ratio =
        herald.isPresent() && best.isPresent()
            ? String.format(Locale.ROOT, "%.2f×", herald.get().median() / best.get().median())
            : "–";
    out.println(row.append(' ').append(ratio).append(" |"));
  }

  /** The numbers of events per connection measured for a payload and framing, ascending. */
  private TreeSet<Integer> eventCounts(ClientPayload payload, BodyFraming framing) {
    TreeSet<Integer> counts = new TreeSet<>();
    for (JmhResult r : results) {
      if (matches(r, payload, framing)) {
        counts.add(events(r, payload));
      }
    }
    return counts;
  }

  /** Million events per second of every fork of every file for one client, median and range. */
  private Optional<Stats> eventsPerSecond(
      ClientHarness client, ClientPayload payload, BodyFraming framing, int events) {
    double[] forks =
        results.stream()
            .filter(r -> client.name().equals(r.param("client")))
            .filter(r -> matches(r, payload, framing) && events(r, payload) == events)
            .flatMapToDouble(r -> Arrays.stream(r.forkOpsPerSecond()))
            .map(ops -> ops * events / 1e6)
            .sorted()
            .toArray();
    return forks.length == 0 ? Optional.empty() : Optional.of(new Stats(forks));
  }

  private static boolean matches(JmhResult r, ClientPayload payload, BodyFraming framing) {
    return payload.name().equals(r.param("payload")) && framing.name().equals(r.param("framing"));
  }

  /** The events of one connection: the {@code events} parameter, or the payload's default. */
  private static int events(JmhResult r, ClientPayload payload) {
    String events = r.param("events");
    int n = events == null ? 0 : Integer.parseInt(events);
    return n == 0 ? payload.defaultEvents() : n;
  }
}
