package dev.herald.server;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Events encoded once as complete HTTP/1.1 chunks ({@code <hex length>\r\n<event>\r\n}), so every
 * subscriber's connection can take a duplicate of the same bytes past the HTTP encoder.
 */
final class ChunkFrames {
  private static final short CRLF = ('\r' << 8) | '\n';

  /** An empty comment, the heartbeat, shared by all streams; never released. */
  static final ByteBuf HEARTBEAT =
      Unpooled.unreleasableBuffer(
          frame(Unpooled.directBuffer(), SseWriter.encode(SseEvent.ofComment(""))).asReadOnly());

  /** The last, empty chunk that ends a chunked body; shared, never released. */
  static final ByteBuf LAST =
      Unpooled.unreleasableBuffer(
          Unpooled.directBuffer(5)
              .writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
              .asReadOnly());

  private ChunkFrames() {}

  /** {@code event} as one chunk, in a new direct buffer owned by the caller. */
  static ByteBuf of(ByteBufAllocator alloc, SseEvent event) {
    byte[] bytes = SseWriter.encode(event);
    return frame(alloc.directBuffer(bytes.length + 12), bytes);
  }

  /** {@code event} as one chunk, in a heap array: for caching, as it needs no release. */
  static byte[] bytes(SseEvent event) {
    byte[] bytes = SseWriter.encode(event);
    byte[] size = Integer.toHexString(bytes.length).getBytes(StandardCharsets.US_ASCII);
    byte[] chunk = new byte[size.length + bytes.length + 4];
    System.arraycopy(size, 0, chunk, 0, size.length);
    chunk[size.length] = '\r';
    chunk[size.length + 1] = '\n';
    System.arraycopy(bytes, 0, chunk, size.length + 2, bytes.length);
    chunk[chunk.length - 2] = '\r';
    chunk[chunk.length - 1] = '\n';
    return chunk;
  }

  private static ByteBuf frame(ByteBuf buf, byte[] bytes) {
    buf.writeCharSequence(Integer.toHexString(bytes.length), StandardCharsets.US_ASCII);
    buf.writeShort(CRLF);
    buf.writeBytes(bytes);
    buf.writeShort(CRLF);
    return buf;
  }
}
