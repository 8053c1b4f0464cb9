package dev.herald.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hub processes that form one cluster through Redis ({@code --redis=URI}): node {@code i} is named
 * {@code node-i} and logs in {@code dir/node-i}; open to anonymous publishers and subscribers.
 * {@link #close()} kills every node.
 */
final class ClusterNodes implements AutoCloseable {
  private final List<HubProcess> nodes = new ArrayList<>();

  private ClusterNodes() {}

  /** Starts {@code count} nodes on {@code redisUri}, each with {@code more} options too. */
  static ClusterNodes start(Path dir, int count, String redisUri, String... more)
      throws IOException, InterruptedException {
    ClusterNodes cluster = new ClusterNodes();
    try {
      for (int i = 1; i <= count; i++) {
        Path home = Files.createDirectories(dir.resolve("node-" + i));
        HubProcess.Builder node =
            HubProcess.builder(home)
                .option("--redis=" + redisUri)
                .option("--node-name=node-" + i)
                // a cold JVM's first handshake on a loaded 2-core machine can take over the
                // default second
                .option("--redis-command-timeout=3s")
                .option("--anonymous-publishers")
                .option("--anonymous-subscribers");
        for (String option : more) {
          node.option(option);
        }
        cluster.nodes.add(node.start());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  HubProcess node(int i) {
    return nodes.get(i);
  }

  List<HubProcess> all() {
    return nodes;
  }

  List<Integer> ports() {
    return nodes.stream().map(HubProcess::port).toList();
  }

  /** The subscribers connected to each node now (its {@code herald_hub_subscribers} gauge). */
  List<Long> subscribers() throws IOException, InterruptedException {
    List<Long> counts = new ArrayList<>();
    for (HubProcess node : nodes) {
      counts.add(node.isAlive() ? new Publisher(node).metric("herald_hub_subscribers") : 0);
    }
    return counts;
  }

  @Override
  public void close() {
    nodes.forEach(HubProcess::close);
  }
}
