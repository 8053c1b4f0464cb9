/**
 * Not API: what the Spring transports of {@code dev.herald.spring.servlet} and {@code
 * dev.herald.spring.reactive} share, public only because they live in two packages. {@link
 * dev.herald.spring.internal.QueuedSseStream} is a Herald {@code SseStream}'s queue, byte budget,
 * hold, close and callbacks, which each transport extends with how its bytes leave; {@link
 * dev.herald.spring.internal.HubHeaders} is the header values of both stacks' {@code HubResponses}.
 * Applications do not use these types; they may change in any release.
 */
package dev.herald.spring.internal;
