package dev.herald.hub.store;

import dev.herald.hub.mercure.HubException;

/**
 * An update store could not open, store or read: the database is unreadable, full, or gone. The
 * cause says why.
 *
 * @since 0.1
 */
public final class UpdateStoreException extends HubException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message} and its {@code cause}. */
  public UpdateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
