package dev.herald.hub.store;

import dev.herald.server.Cursor;
import java.util.List;
import java.util.Objects;

/**
 * The bus of a single hub: {@link #publish} hands the batch to the listener on the publishing
 * thread (the log's writer) before it returns, so the listener sees every update before its append
 * future completes, in the log's order, one batch at a time because the log publishes one batch at
 * a time. Thread-safe.
 *
 * @since 0.2
 */
public final class LocalUpdateBus implements UpdateBus {
  private volatile Listener listener;
  private volatile boolean closed;

  /** A bus without listener yet. */
  public LocalUpdateBus() {}

  /** Hands {@code updates} to the listener, if any, unless closed; its exceptions propagate. */
  @Override
  public void publish(List<StoredUpdate> updates) {
    Listener current = listener;
    if (current != null && !closed) {
      current.onUpdates(updates);
    }
  }

  /**
   * Sets the listener of the batches published from now on; {@code after} is not used (nothing is
   * published on this bus before its hub listens).
   */
  @Override
  public synchronized void listen(Cursor after, Listener listener) {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(listener, "listener");
    if (this.listener != null) {
      throw new IllegalStateException("the listener is already set");
    }
    this.listener = listener;
  }

  @Override
  public void close() {
    closed = true;
  }
}
