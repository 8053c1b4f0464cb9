package dev.herald.hub;

import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.server.Cursor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A second {@link UpdateBus}, for tests: the bus of a cluster in one JVM. A shared log publishes on
 * it; each hub listens on a {@link #node()} of its own, which delivers every batch on its own
 * thread, later than the append and independently of the other nodes, and only the updates after
 * the cursor its hub listens from, as a Redis Streams bus reading the shared stream with {@code
 * XREAD} would.
 */
final class ClusterBus implements UpdateBus {
  /** The batch that tells a node's listener the history was lost, compared by identity. */
  private static final List<StoredUpdate> LOST = new java.util.ArrayList<>();

  private final List<Node> nodes = new CopyOnWriteArrayList<>();

  /** The bus of one more node. */
  UpdateBus node() {
    Node node = new Node();
    nodes.add(node);
    return node;
  }

  @Override
  public void publish(List<StoredUpdate> updates) {
    List<StoredUpdate> batch = List.copyOf(updates);
    for (Node node : nodes) {
      node.inbox.add(batch);
    }
  }

  /** Tells every node's listener, in order with the batches before, that the history was lost. */
  void loseHistory() {
    for (Node node : nodes) {
      node.inbox.add(LOST);
    }
  }

  /** Listening is per node: see {@link #node()}. */
  @Override
  public void listen(Cursor after, Listener listener) {
    throw new UnsupportedOperationException("listen on a node of the cluster");
  }

  @Override
  public void close() {
    nodes.forEach(Node::close);
  }

  private final class Node implements UpdateBus {
    final BlockingQueue<List<StoredUpdate>> inbox = new LinkedBlockingQueue<>();
    private Thread reader;

    @Override
    public void publish(List<StoredUpdate> updates) {
      ClusterBus.this.publish(updates);
    }

    @Override
    public synchronized void listen(Cursor after, Listener listener) {
      Objects.requireNonNull(listener, "listener");
      if (reader != null) {
        throw new IllegalStateException("the listener is already set");
      }
      reader = new Thread(() -> read(after, listener), "cluster-bus-node-" + nodes.indexOf(this));
      reader.setDaemon(true);
      reader.start();
    }

    private void read(Cursor after, Listener listener) {
      Cursor seen = after;
      try {
        for (; ; ) {
          List<StoredUpdate> batch = inbox.take();
          if (batch == LOST) {
            listener.onHistoryLost();
            continue;
          }
          Cursor from = seen;
          List<StoredUpdate> later = batch.stream().filter(u -> u.cursor().isAfter(from)).toList();
          if (!later.isEmpty()) {
            listener.onUpdates(later);
            seen = later.get(later.size() - 1).cursor();
          }
        }
      } catch (InterruptedException e) {
        // closed
      }
    }

    @Override
    public synchronized void close() {
      if (reader != null) {
        reader.interrupt();
      }
    }
  }
}
