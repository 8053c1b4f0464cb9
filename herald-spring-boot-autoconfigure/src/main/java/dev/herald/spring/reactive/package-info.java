/**
 * Herald on WebFlux: {@link dev.herald.spring.reactive.TopicStreamResultHandler} serves a
 * controller's {@code TopicStream} as a response whose body is a Herald {@code SseStream}, paced by
 * the server's demand; {@link dev.herald.spring.reactive.HubResponses} adds the hub's link and the
 * subscriber cookie.
 */
package dev.herald.spring.reactive;
