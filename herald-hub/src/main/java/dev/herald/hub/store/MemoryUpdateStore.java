package dev.herald.hub.store;

import dev.herald.hub.Update;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** STUB until hub-store lands. */
public final class MemoryUpdateStore implements UpdateStore {
  MemoryUpdateStore() {}

  private final List<StoredUpdate> all = new ArrayList<>();
  private Consumer<List<StoredUpdate>> listener = l -> {};

  /** Stub. */
  public static Builder builder() {
    return new Builder();
  }

  /** Stub. */
  public static final class Builder {
    Builder() {}

    /** Stub. */
    public MemoryUpdateStore build() {
      return new MemoryUpdateStore();
    }
  }

  @Override
  public void listen(Consumer<List<StoredUpdate>> listener) {
    this.listener = listener;
  }

  @Override
  public synchronized CompletableFuture<StoredUpdate> append(Update update) {
    StoredUpdate s = new StoredUpdate(all.size() + 1, Instant.now(), update);
    all.add(s);
    listener.accept(List.of(s));
    return CompletableFuture.completedFuture(s);
  }

  @Override
  public synchronized OptionalLong sequenceOf(String id) {
    for (StoredUpdate s : all) {
      if (s.update().id().equals(id)) {
        return OptionalLong.of(s.sequence());
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public synchronized List<StoredUpdate> range(long after, long upTo, int limit) {
    List<StoredUpdate> out = new ArrayList<>();
    for (StoredUpdate s : all) {
      if (s.sequence() > after && s.sequence() <= upTo && out.size() < limit) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public synchronized List<StoredUpdate> tail(int limit) {
    return new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size()));
  }

  @Override
  public synchronized long lastSequence() {
    return all.size();
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {}
}
