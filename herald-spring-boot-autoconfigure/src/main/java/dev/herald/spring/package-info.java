/**
 * What a Spring application uses of Herald: {@link dev.herald.spring.TopicStream}, which a
 * controller returns to answer with a Herald event stream on the application's own port; {@link
 * dev.herald.spring.SubscriberAuthorization}, the logged-in user's subscriber token and cookie;
 * {@link dev.herald.spring.HubDiscovery}, the hub's URL and {@code Link}. The transports are in
 * {@code servlet} (Spring MVC) and {@code reactive} (WebFlux), what they share in {@code internal}
 * (not API); the publisher is herald-publisher's {@link dev.herald.publisher.Publisher}.
 */
package dev.herald.spring;
