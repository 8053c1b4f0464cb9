package dev.herald.hub;

import dev.herald.hub.mercure.HubException;

/**
 * A publish refused because {@link Hub.Builder#maxPendingPublishes} publishes already wait for the
 * store: routine under overload, when the store is slower than the publishers. Over HTTP it is a
 * {@code 503} with {@code Retry-After}; {@link Hub#publish} fails its future with it. Publishing
 * again a little later succeeds once the store has caught up.
 *
 * @since 0.1
 */
public final class HubOverloadedException extends HubException {
  private static final long serialVersionUID = 1L;

  HubOverloadedException(String message) {
    super(message);
  }
}
