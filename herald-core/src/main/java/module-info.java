/**
 * The {@code text/event-stream} wire format: {@link dev.herald.core.SseEvent}, {@link
 * dev.herald.core.SseWriter} and {@link dev.herald.core.SseParser}; time-ordered event IDs, {@link
 * dev.herald.core.EventIds}. No dependencies, no I/O (but the seeding of its random generators).
 */
module dev.herald.core {
  exports dev.herald.core;
}
