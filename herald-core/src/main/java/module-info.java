/**
 * The {@code text/event-stream} wire format: {@link dev.herald.core.SseEvent}, {@link
 * dev.herald.core.SseWriter} and {@link dev.herald.core.SseParser}; event IDs as a Mercure hub
 * makes them, {@link dev.herald.core.EventIds}. No dependencies, no I/O.
 */
module dev.herald.core {
  exports dev.herald.core;
}
