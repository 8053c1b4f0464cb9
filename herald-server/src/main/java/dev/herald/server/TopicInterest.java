package dev.herald.server;

import java.util.Set;

/**
 * The plain interest in some topics that {@link Interest#of} makes: no filter, so that a {@link
 * Broadcaster} may share one instance among all subscribers of the same single topic.
 */
record TopicInterest<P>(Set<String> topics) implements Interest<P> {}
