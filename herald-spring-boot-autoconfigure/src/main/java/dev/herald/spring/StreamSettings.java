package dev.herald.spring;

import java.time.Duration;

/**
 * The defaults of the {@link TopicStream}s a transport serves: the heartbeat interval and the byte
 * budget of each stream, and the query parameter that may carry the last event ID (for clients that
 * cannot send the {@code Last-Event-ID} header), or {@code null}.
 *
 * @param heartbeat the interval of heartbeat comments; zero for none
 * @param maxPendingBytes the bytes a stream may hold unsent before its client is disconnected
 * @param lastEventIdParameter the query parameter read when there is no {@code Last-Event-ID}
 *     header, or {@code null}
 * @since 0.2
 */
public record StreamSettings(Duration heartbeat, int maxPendingBytes, String lastEventIdParameter) {
  /** The heartbeat and budget of {@code stream}: its own where it has one, else these. */
  public StreamSettings of(TopicStream stream) {
    return new StreamSettings(
        stream.heartbeat() != null ? stream.heartbeat() : heartbeat,
        stream.maxPendingBytes() > 0 ? stream.maxPendingBytes() : maxPendingBytes,
        lastEventIdParameter);
  }
}
