package dev.herald.bench.load;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the results of one bench run (one scenario, or {@code compare}'s runs over every target)
 * into {@code results.json}, a Markdown report with medians over runs and ratios, and SVG charts.
 */
final class Report {
  private static final String HERALD = "herald";
  private static final String FLOOR = "kernel floor";
  private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");

  private final Map<String, Object> doc;
  private final List<Map<String, Object>> runs;
  private final List<String> targets;

  @SuppressWarnings("unchecked")
  Report(Map<String, Object> doc) {
    this.doc = doc;
    this.runs = (List<Map<String, Object>>) doc.get("runs");
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Object> run : runs) {
      names.addAll(map(run.get("targets")).keySet());
    }
    this.targets = new ArrayList<>(names);
  }

  /** Writes results.json, report.md and the charts into {@code dir}; returns the Markdown. */
  String write(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve("results.json"), StandardCharsets.UTF_8)) {
      Json.write(doc, w);
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format("Results of `%s`, %s.%n", doc.get("command"), doc.get("date")));
    md.append(String.format("%nMachine: %s.%n", doc.get("machine")));
    md.append(
        String.format(
            "Load average (1, 5, 15 min) before: %s; after: %s.%n",
            doc.get("loadBefore"), doc.get("loadAfter")));
    if (Boolean.TRUE.equals(map(doc.get("settings")).get("cpuLatencyQos"))) {
      md.append(
          "CPU wake-up latency: a 0 µs request held during the run (`--cpu-latency-qos`): idle"
              + " cores polled instead of sleeping.\n");
    }
    if (doc.get("skipped") != null && !map(doc.get("skipped")).isEmpty()) {
      md.append("\nSkipped (not installed):\n\n");
      map(doc.get("skipped"))
          .forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    }
    md.append(String.format("%nRuns: %d. Figures are medians over the runs", runs.size()));
    md.append(runs.size() > 1 ? ", lowest and highest in brackets.\n" : ".\n");
    fanout(md, dir);
    latency(md, dir);
    idle(md);
    held(md);
    reconnect(md);
    publish(md);
    calibrate(md);
    Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
    return md.toString();
  }

  // ---- fan-out

  private void fanout(StringBuilder md, Path dir) throws IOException {
    Set<String> cases = new LinkedHashSet<>();
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        for (Map<String, Object> f : list(scenario(run, t, "fanout"))) {
          cases.add(f.get("subscribers") + "/" + f.get("bytes"));
        }
      }
    }
    if (cases.isEmpty()) {
      return;
    }
    List<String> columns = new ArrayList<>(targets);
    boolean floor = runs.stream().anyMatch(r -> r.get("floor") != null);
    md.append("\n### Fan-out: most deliveries/s with zero loss\n\n");
    md.append("| subscribers | event bytes | ");
    columns.forEach(c -> md.append(c).append(" | "));
    if (floor) {
      md.append(FLOOR).append(" | ");
    }
    md.append("Herald / best reference | Herald / kernel floor |");
    List<String> hubs = columns.stream().filter(TargetServer::isHub).toList();
    hubs.forEach(h -> md.append(' ').append(h).append(" / herald |"));
    hubs.forEach(h -> md.append(' ').append(h).append(" / best reference |"));
    md.append("\n|");
    md.append(" ---: |".repeat(columns.size() + (floor ? 5 : 4) + 2 * hubs.size())).append('\n');
    List<String> categories = new ArrayList<>();
    List<String> series = new ArrayList<>(columns);
    if (floor) {
      series.add(FLOOR);
    }
    List<Double[]> chart = new ArrayList<>();
    for (String k : cases) {
      String[] nb = k.split("/");
      md.append(String.format("| %,d | %s | ", Integer.parseInt(nb[0]), nb[1]));
      Double[] row = new Double[series.size()];
      double bestRef = 0;
      for (int i = 0; i < columns.size(); i++) {
        String t = columns.get(i);
        List<Double> v = values(run -> fanoutCase(run, t, k, "zeroLossDeliveriesPerSecond"));
        row[i] = median(v);
        md.append(cell(v, "%,.0f")).append(" | ");
        if (isReference(t) && row[i] != null) {
          bestRef = Math.max(bestRef, row[i]);
        }
      }
      Double floorValue = null;
      if (floor) {
        List<Double> v = values(run -> number(map(run.get("floor")).get(nb[0])));
        floorValue = median(v);
        row[columns.size()] = floorValue;
        md.append(cell(v, "%,.0f")).append(" | ");
      }
      Double herald = columns.contains(HERALD) ? row[columns.indexOf(HERALD)] : null;
      Double best = bestRef > 0 ? bestRef : null;
      md.append(ratio(herald, best)).append(" | ");
      md.append(ratio(herald, floorValue)).append(" |");
      for (String h : hubs) {
        md.append(' ').append(ratio(row[columns.indexOf(h)], herald)).append(" |");
      }
      for (String h : hubs) {
        md.append(' ').append(ratio(row[columns.indexOf(h)], best)).append(" |");
      }
      md.append('\n');
      categories.add(String.format("%,d subs, %s B", Integer.parseInt(nb[0]), nb[1]));
      chart.add(row);
    }
    if (!hubs.isEmpty()) {
      md.append(
          "\nThe hub is Herald's, not a reference: it is left out of the best reference. Its goal:"
              + " hub / herald ≥ 0.80×.\n");
    }
    md.append(
        "\nA cell without a figure: every trial lost events or fell behind (see results.json)."
            + String.format(
                " Saturated rate (what the server delivered under a probe offering %,.0f"
                    + " deliveries/s after a warm-up, loss allowed):%n%n",
                Scenarios.PROBE_DELIVERIES));
    md.append("| subscribers | event bytes |");
    columns.forEach(c -> md.append(' ').append(c).append(" |"));
    md.append("\n|").append(" ---: |".repeat(columns.size() + 2)).append('\n');
    for (String k : cases) {
      String[] nb = k.split("/");
      md.append(String.format("| %,d | %s |", Integer.parseInt(nb[0]), nb[1]));
      for (String t : columns) {
        md.append(' ')
            .append(
                cell(values(run -> fanoutCase(run, t, k, "saturatedDeliveriesPerSecond")), "%,.0f"))
            .append(" |");
      }
      md.append('\n');
    }
    Double[][] values = new Double[series.size()][categories.size()];
    for (int c = 0; c < categories.size(); c++) {
      for (int s = 0; s < series.size(); s++) {
        values[s][c] = chart.get(c)[s];
      }
    }
    Files.writeString(
        dir.resolve("fanout.svg"),
        SvgChart.bars(
            "Fan-out: deliveries/s with zero loss (median)",
            "subscribers",
            "deliveries per second",
            categories,
            series,
            values));
    md.append("\n![fan-out](fanout.svg)\n");
  }

  /** Whether {@code target} is a reference server: neither Herald's server nor its hub. */
  private static boolean isReference(String target) {
    return !target.equals(HERALD) && !TargetServer.isHub(target);
  }

  private Double fanoutCase(Map<String, Object> run, String t, String k, String field) {
    for (Map<String, Object> f : list(scenario(run, t, "fanout"))) {
      if (k.equals(f.get("subscribers") + "/" + f.get("bytes"))) {
        return number(f.get(field));
      }
    }
    return null;
  }

  // ---- latency

  private void latency(StringBuilder md, Path dir) throws IOException {
    Set<String> cases = new LinkedHashSet<>();
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        for (Map<String, Object> l : list(scenario(run, t, "latency"))) {
          cases.add(latencyKey(l));
        }
      }
    }
    for (String k : cases) {
      String[] parts = k.split("/");
      md.append(
          String.format(
              "%n### Latency, publish → receive (ms): %,d subscribers, %,.0f deliveries/s,"
                  + " %s-byte events%n%n",
              Integer.parseInt(parts[0]), Double.parseDouble(parts[1]), parts[2]));
      md.append(
              "| server | p50 | p90 | p99 | p99.9 | max | events measured | missing |"
                  + " duplicates |\n| --- |")
          .append(" ---: |".repeat(8))
          .append('\n');
      Double[][] values = new Double[targets.size()][PERCENTILES.size()];
      List<String> series = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        String t = targets.get(i);
        if (values(run -> latencyCase(run, t, k, "measuredEvents")).isEmpty()) {
          continue;
        }
        series.add(t);
        md.append("| ").append(t).append(" | ");
        for (int p = 0; p < PERCENTILES.size(); p++) {
          String pn = PERCENTILES.get(p);
          List<Double> v =
              values(
                  run -> {
                    Map<String, Object> l = latencyEntry(run, t, k);
                    return l == null ? null : number(map(l.get("latencyMillis")).get(pn));
                  });
          values[series.size() - 1][p] = median(v);
          md.append(cell(v, "%.2f")).append(" | ");
        }
        md.append(cell(values(run -> latencyCase(run, t, k, "measuredEvents")), "%,.0f"))
            .append(" | ");
        md.append(sum(values(run -> latencyCase(run, t, k, "missing")))).append(" | ");
        md.append(sum(values(run -> latencyCase(run, t, k, "duplicates")))).append(" |\n");
      }
      String file = "latency-" + parts[0] + "-" + parts[1].replace(".0", "") + ".svg";
      Double[][] used = java.util.Arrays.copyOf(values, series.size());
      Files.writeString(
          dir.resolve(file),
          SvgChart.logLines(
              String.format(
                  Locale.ROOT,
                  "Latency at %,.0f deliveries/s, %,d subscribers (median)",
                  Double.parseDouble(parts[1]),
                  Integer.parseInt(parts[0])),
              "percentile",
              "milliseconds (log scale)",
              PERCENTILES,
              series,
              used));
      md.append("\n![latency](").append(file).append(")\n");
    }
  }

  private static String latencyKey(Map<String, Object> l) {
    return l.get("subscribers") + "/" + l.get("deliveriesPerSecond") + "/" + l.get("bytes");
  }

  private Map<String, Object> latencyEntry(Map<String, Object> run, String t, String k) {
    for (Map<String, Object> l : list(scenario(run, t, "latency"))) {
      if (k.equals(latencyKey(l))) {
        return l;
      }
    }
    return null;
  }

  private Double latencyCase(Map<String, Object> run, String t, String k, String field) {
    Map<String, Object> l = latencyEntry(run, t, k);
    return l == null ? null : number(l.get(field));
  }

  // ---- idle, held, reconnect, publish, calibrate

  /** The {@code held} scenario: subscribers a cluster holds live over its nodes, per run. */
  private void held(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "held") != null))) {
      return;
    }
    md.append("\n### Subscribers held by a cluster (live: each received an event)\n\n");
    md.append("| server | nodes | asked | held, per run | not established |\n| --- |")
        .append(" ---: |".repeat(4))
        .append('\n');
    for (String t : targets) {
      List<String> held = new ArrayList<>();
      int failed = 0;
      Map<String, Object> any = null;
      for (Map<String, Object> run : runs) {
        Object h = scenario(run, t, "held");
        if (h == null || map(h).get("held") == null) {
          continue;
        }
        any = map(h);
        held.add(String.format(Locale.ROOT, "%,d", ((Number) any.get("held")).longValue()));
        Map<String, Object> c = map(any.get("connect"));
        failed +=
            ((Number) c.get("refused")).intValue()
                + ((Number) c.get("connectFailed")).intValue()
                + ((Number) c.get("timedOut")).intValue()
                + ((Number) c.get("closedBeforeHead")).intValue();
      }
      if (any != null) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %,d | %s | %,d |%n",
                t,
                ((Number) any.get("nodes")).intValue(),
                ((Number) any.get("offered")).intValue(),
                String.join(", ", held),
                failed));
      }
    }
  }

  private void idle(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "idle") != null))) {
      return;
    }
    md.append("\n### Idle capacity and memory per subscriber\n\n");
    md.append(
            "| server | asked | held open | not established (refused / failed / timed out) |"
                + " live heap KiB per sub | RSS KiB per sub | Pss KiB per sub | kernel slab KiB per"
                + " connection (both ends) |\n| --- |")
        .append(" ---: |".repeat(7))
        .append('\n');
    for (String t : targets) {
      for (Map<String, Object> run : runs) {
        Object idle = scenario(run, t, "idle");
        if (idle == null) {
          continue;
        }
        Map<String, Object> best = null;
        int refused = 0;
        int failed = 0;
        int timedOut = 0;
        for (Map<String, Object> step : list(map(idle).get("steps"))) {
          Map<String, Object> c = map(step.get("connect"));
          refused += ((Number) c.get("refused")).intValue();
          failed +=
              ((Number) c.get("connectFailed")).intValue()
                  + ((Number) c.get("closedBeforeHead")).intValue();
          timedOut += ((Number) c.get("timedOut")).intValue();
          if (best == null
              || ((Number) step.get("open")).intValue() > ((Number) best.get("open")).intValue()) {
            best = step;
          }
        }
        if (best == null) {
          continue;
        }
        Map<String, Object> per =
            best.get("perSubscriber") == null ? Map.of() : map(best.get("perSubscriber"));
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %,d | %d / %d / %d | %s | %s | %s | %s |%n",
                t,
                ((Number) best.get("asked")).intValue(),
                ((Number) best.get("open")).intValue(),
                refused,
                failed,
                timedOut,
                fmt(per.get("liveHeapKib")),
                fmt(per.get("rssKib")),
                fmt(per.get("pssKib")),
                fmt(per.get("slabKib"))));
      }
    }
    md.append(
        "\nPer subscriber: (value at the step holding the most − value before any"
            + " subscriber) / subscribers held. Slab is machine-wide: both ends of each connection,"
            + " the load processes' sockets included.\n");
  }

  private void reconnect(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "reconnect") != null))) {
      return;
    }
    md.append("\n### Reconnect storm with Last-Event-ID\n\n");
    md.append(
            "| server | subscribers | events behind | all connected (ms) | all caught up (ms) |"
                + " caught up | missing | duplicates |\n| --- |")
        .append(" ---: |".repeat(7))
        .append('\n');
    for (String t : targets) {
      List<Double> connected = values(run -> reconnectField(run, t, "allConnectedMillis"));
      if (connected.isEmpty()) {
        continue;
      }
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
              t,
              cell(values(run -> reconnectField(run, t, "subscribers")), "%,.0f"),
              cell(values(run -> reconnectField(run, t, "eventsBehind")), "%,.0f"),
              cell(connected, "%,.0f"),
              cell(values(run -> reconnectField(run, t, "allCaughtUpMillis")), "%,.0f"),
              cell(values(run -> reconnectField(run, t, "caughtUp")), "%,.0f"),
              sum(values(run -> reconnectField(run, t, "missing"))),
              sum(values(run -> reconnectField(run, t, "duplicates")))));
    }
  }

  private Double reconnectField(Map<String, Object> run, String t, String field) {
    Object r = scenario(run, t, "reconnect");
    return r == null ? null : number(map(r).get(field));
  }

  private void publish(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "publish") != null))) {
      return;
    }
    md.append("\n### Publish throughput (acknowledged publishes/s)\n\n");
    md.append(
            "| server | connections | acked/s | ack p50 (ms) | ack p99 (ms) | subscribers |"
                + " missing |\n| --- |")
        .append(" ---: |".repeat(6))
        .append('\n');
    for (String t : targets) {
      List<Double> acked = values(run -> publishField(run, t, "ackedPerSecond"));
      if (acked.isEmpty()) {
        continue;
      }
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s |%n",
              t,
              cell(values(run -> publishField(run, t, "connections")), "%.0f"),
              cell(acked, "%,.0f"),
              cell(
                  values(
                      run -> {
                        Object p = scenario(run, t, "publish");
                        return p == null
                            ? null
                            : number(map(map(p).get("ackLatencyMillis")).get("p50"));
                      }),
                  "%.2f"),
              cell(
                  values(
                      run -> {
                        Object p = scenario(run, t, "publish");
                        return p == null
                            ? null
                            : number(map(map(p).get("ackLatencyMillis")).get("p99"));
                      }),
                  "%.2f"),
              cell(values(run -> publishField(run, t, "subscribers")), "%.0f"),
              sum(values(run -> publishField(run, t, "missing")))));
    }
  }

  private Double publishField(Map<String, Object> run, String t, String field) {
    Object p = scenario(run, t, "publish");
    return p == null ? null : number(map(p).get(field));
  }

  private void calibrate(StringBuilder md) {
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        Object c = scenario(run, t, "calibrate");
        if (c == null) {
          continue;
        }
        Map<String, Object> m = map(c);
        Map<String, Object> ours = map(m.get("loadGenerator"));
        Map<String, Object> theirs = map(m.get("sseload"));
        md.append(
            String.format(
                Locale.ROOT,
                "%n### Calibration against sseload (%s, %,d subscribers, %,.0f deliveries/s, %s s)%n%n"
                    + "| client | events | CPU s | CPU µs per event |%n| --- | ---: | ---: | ---: |%n"
                    + "| load generator | %,d | %.2f | %s |%n| sseload | %,d | %.2f | %s |%n%n"
                    + "Ratio (load generator / sseload): **%s×**%n",
                t,
                ((Number) m.get("subscribers")).intValue(),
                number(m.get("deliveriesPerSecond")),
                m.get("seconds"),
                ((Number) ours.get("events")).longValue(),
                number(ours.get("cpuSeconds")),
                fmt(ours.get("cpuMicrosPerEvent")),
                ((Number) theirs.get("events")).longValue(),
                number(theirs.get("cpuSeconds")),
                fmt(theirs.get("cpuMicrosPerEvent")),
                m.get("ratio")));
      }
    }
  }

  // ---- helpers

  private static Object scenario(Map<String, Object> run, String target, String scenario) {
    Object t = map(run.get("targets")).get(target);
    return t == null ? null : map(t).get(scenario);
  }

  private List<Double> values(Function<Map<String, Object>, Double> f) {
    List<Double> v = new ArrayList<>();
    for (Map<String, Object> run : runs) {
      Double d = f.apply(run);
      if (d != null) {
        v.add(d);
      }
    }
    return v;
  }

  static Double median(List<Double> v) {
    return v.isEmpty() ? null : Scenarios.median(v);
  }

  private static String cell(List<Double> v, String format) {
    if (v.isEmpty()) {
      return "–";
    }
    String m = String.format(Locale.ROOT, format, median(v));
    if (v.size() == 1) {
      return m;
    }
    double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return m
        + " ["
        + String.format(Locale.ROOT, format, lo)
        + "–"
        + String.format(Locale.ROOT, format, hi)
        + "]";
  }

  private static String sum(List<Double> v) {
    return v.isEmpty()
        ? "–"
        : String.format(Locale.ROOT, "%,.0f", v.stream().mapToDouble(Double::doubleValue).sum());
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", a / b);
  }

  private static String fmt(Object v) {
    Double d = number(v);
    return d == null ? "–" : String.format(Locale.ROOT, "%.2f", d);
  }

  static Double number(Object v) {
    return v instanceof Number ? ((Number) v).doubleValue() : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v) {
    return v == null ? new LinkedHashMap<>() : (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object v) {
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }
}
