/**
 * The Mercure vocabulary every other package of the hub speaks: {@link
 * dev.herald.hub.mercure.Update} (what a publisher sends and subscribers receive), {@link
 * dev.herald.hub.mercure.TopicMatcher} (how a subscriber selects topics: exact, URL pattern, or a
 * pre-1.0 URI template), {@link dev.herald.hub.mercure.Topics} (the characters a topic may hold),
 * and {@link dev.herald.hub.mercure.HubException}, the root of the hub's unchecked exceptions.
 *
 * <h2>Layering</h2>
 *
 * <p>This package is the hub's ground floor: it imports no other package of the hub ({@code
 * dev.herald.hub}, {@code auth}, {@code store}), and they all import it. So authorization ({@code
 * auth}) and history ({@code store}) can be read, tested and replaced without the hub's protocol
 * code, and no package cycle runs through the hub.
 *
 * <pre>{@code
 * dev.herald.hub          the hub: HTTP endpoints, configuration, dispatch
 *   ├── dev.herald.hub.auth    access policy, tokens, grants
 *   ├── dev.herald.hub.store   update stores
 *   └── dev.herald.hub.mercure updates, topic matchers, HubException   (imported by all three)
 * }</pre>
 *
 * <p>Every type here is immutable and thread-safe.
 */
package dev.herald.hub.mercure;
