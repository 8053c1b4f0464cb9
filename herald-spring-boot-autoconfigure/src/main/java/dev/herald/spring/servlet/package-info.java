/**
 * Herald on the servlet stack (Spring MVC): {@link
 * dev.herald.spring.servlet.TopicStreamReturnValueHandler} serves a controller's {@code
 * TopicStream} as a non-blocking asynchronous servlet response, a Herald {@code SseStream} that a
 * {@code Broadcaster} delivers to on its delivery executor; {@link
 * dev.herald.spring.servlet.HubResponses} adds the hub's link and the subscriber cookie.
 */
package dev.herald.spring.servlet;
