/**
 * Publishing updates to a Mercure hub — Herald's or any other — from Java, the counterpart of
 * Symfony's {@code HubInterface}, usable without Spring.
 *
 * <ul>
 *   <li>{@link dev.herald.publisher.Publication} is one update: topics, data, and the optional ID,
 *       type, retry and private flag.
 *   <li>{@link dev.herald.publisher.Publisher} publishes it, synchronously or as a {@link
 *       java.util.concurrent.CompletableFuture}; {@link dev.herald.publisher.HubPublisher} is the
 *       HTTP one: a timeout on every request, retries with backoff while the hub answers {@code
 *       503} (honouring {@code Retry-After}), bounded in attempts and in total time, and a typed
 *       {@link dev.herald.publisher.PublishException} naming the status and the hub's message.
 *   <li>{@link dev.herald.publisher.HubTokens} mints the hub's JSON Web Tokens from an HMAC key:
 *       the publisher's, and a subscriber's for chosen topics.
 *   <li>{@link dev.herald.publisher.SubscriberCookie} is the {@code Set-Cookie} value that hands a
 *       browser its subscriber token, as Symfony's {@code Authorization::setCookie} does; {@link
 *       dev.herald.publisher.HubLink} the {@code Link} header by which a resource names its hub.
 * </ul>
 *
 * <pre>{@code
 * HubTokens tokens = HubTokens.builder()
 *     .hmacSecret(secret).issuer("https://example.com").audience(hubUrl).build();
 * Publisher publisher = HubPublisher.builder(URI.create(hubUrl)).tokens(tokens).build();
 * String id = publisher.publish(Publication.of("https://example.com/books/1", "{\"stock\":2}"));
 * }</pre>
 */
package dev.herald.publisher;
