package dev.herald.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one event loop's passes: events to streams framed for their protocol (HTTP/1.1: one
 * buffer of chunks; HTTP/2: each event's own bytes), counted, and each written stream flushed once
 * when the pass ends. Buffers that several streams take are built once per pass and shared (a
 * retained duplicate each): the run's events a stream takes, and a page of a catch-up.
 *
 * <p>On the loop.
 *
 * @param <P> the type of the events' payload
 */
final class LoopWriter<P> {
  private final List<NettySseStream> dirty = new ArrayList<>(); // each once: its dirty flag
  private ServerMetrics passMetrics; // the loop's server's, once a pass wrote
  private long passEvents; // written in this pass, counted into passMetrics at its end
  private long passBytes;
  private final Map<Long, ByteBuf> joinedByMask = new HashMap<>(); // during a run
  private long lastMask; // the last one looked up in joinedByMask, and its buffer
  private ByteBuf lastJoined;
  private Cursor[] replayPositions; // the events in replayBytes; during a pass
  private ByteBuf replayBytes;

  /**
   * Writes the events of {@code run} in {@code mask} to {@code stream}: over HTTP/1.1 as one
   * buffer, joined once per run for all streams taking the same events; over HTTP/2 each event's
   * own bytes.
   */
  void writeEvents(NettySseStream stream, long mask, List<Published<P>> run) {
    if (!stream.writesChunks()) { // HTTP/2 sends each event's bytes without the chunk framing
      for (int j = 0; j < run.size(); j++) {
        if ((mask & (1L << j)) != 0) {
          write(stream, run.get(j).chunk().retainedDuplicate(), 1);
        }
      }
      return;
    }
    ByteBuf joined = mask == lastMask ? lastJoined : joinedByMask.get(mask);
    if (joined == null) {
      int length = 0;
      for (int j = 0; j < run.size(); j++) {
        if ((mask & (1L << j)) != 0) {
          length += run.get(j).chunk().readableBytes();
        }
      }
      joined = ByteBufAllocator.DEFAULT.directBuffer(length);
      joinedByMask.put(mask, joined);
      for (int j = 0; j < run.size(); j++) {
        if ((mask & (1L << j)) != 0) {
          ByteBuf chunk = run.get(j).chunk();
          joined.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        }
      }
    }
    lastMask = mask; // streams of a topic mostly take the same events
    lastJoined = joined;
    write(stream, joined.retainedDuplicate(), Long.bitCount(mask));
  }

  /** Releases the buffers joined for a run, once it has been written. */
  void endRun() {
    for (ByteBuf joined : joinedByMask.values()) {
      joined.release();
    }
    joinedByMask.clear();
    lastJoined = null;
  }

  /** Writes {@code chunk}, which holds {@code events} events, to {@code stream}. */
  private void write(NettySseStream stream, ByteBuf chunk, int events) {
    int bytes = chunk.readableBytes();
    if (stream.writeShared(chunk, events)) {
      written(stream, events, bytes);
    }
  }

  /**
   * Writes the {@code wanted} events of {@code page}, a page of a catch-up, to {@code stream};
   * {@code next} runs on the loop once the stream can take more (see {@link
   * NettySseStream#writePage}).
   */
  void writePage(NettySseStream stream, HistoryPages.Page<P> page, int[] wanted, Runnable next) {
    if (stream.writesChunks()) {
      ByteBuf replay = sharedReplay(page, wanted);
      int bytes = replay.readableBytes();
      if (stream.writePage(replay, next)) {
        written(stream, wanted.length, bytes);
      }
      return;
    }
    for (int i = 0; i < wanted.length; i++) { // HTTP/2: a DATA frame each
      byte[] chunk = page.chunks()[wanted[i]];
      if (stream.writePage(Unpooled.wrappedBuffer(chunk), i == wanted.length - 1 ? next : null)) {
        written(stream, 1, chunk.length);
      }
    }
  }

  /**
   * The chunks of {@code page}'s {@code wanted} events in one direct buffer, shared (a retained
   * duplicate each) by the subscriptions of this pass that take the same events of the same page:
   * in a reconnection storm thousands of clients come back from the same ID in the same few passes.
   * Released when the pass ends.
   */
  private ByteBuf sharedReplay(HistoryPages.Page<P> page, int[] wanted) {
    Cursor[] positions = replayPositions;
    boolean same = positions != null && positions.length == wanted.length;
    for (int i = 0; same && i < positions.length; i++) {
      same = positions[i].equals(page.events().get(wanted[i]).position());
    }
    if (!same) {
      releaseReplay();
      positions = new Cursor[wanted.length];
      int length = 0;
      for (int i = 0; i < wanted.length; i++) {
        positions[i] = page.events().get(wanted[i]).position();
        length += page.chunks()[wanted[i]].length;
      }
      ByteBuf bytes = ByteBufAllocator.DEFAULT.directBuffer(length);
      for (int i : wanted) {
        bytes.writeBytes(page.chunks()[i]);
      }
      replayPositions = positions;
      replayBytes = bytes;
    }
    return replayBytes.retainedDuplicate();
  }

  /** Counts a write to {@code stream} and marks it for the flush at the end of the pass. */
  void written(NettySseStream stream, int events, int bytes) {
    passMetrics = stream.metrics();
    passEvents += events;
    passBytes += bytes;
    if (stream.markDirty()) {
      dirty.add(stream);
    }
  }

  /**
   * At the end of a pass: releases the shared page, counts, and flushes each written stream; then,
   * if the pass wrote, records the dispatch latency of the pass's {@code count} publishes, which
   * arrived at the {@code arrivals} times ({@link System#nanoTime()}).
   */
  void endPass(long[] arrivals, int count) {
    releaseReplay();
    boolean wrote = passEvents > 0;
    if (passMetrics != null) { // counted before they can arrive
      passMetrics.eventsQueued(passEvents, passBytes);
      passEvents = 0;
      passBytes = 0;
    }
    for (NettySseStream stream : dirty) {
      stream.flushShared();
    }
    dirty.clear();
    if (wrote && count > 0) {
      passMetrics.dispatched(arrivals, count, System.nanoTime());
    }
  }

  private void releaseReplay() {
    if (replayBytes != null) {
      replayBytes.release();
      replayBytes = null;
      replayPositions = null;
    }
  }
}
