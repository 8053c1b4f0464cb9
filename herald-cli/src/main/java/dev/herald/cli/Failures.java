package dev.herald.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Says why a network operation failed, for the commands' error lines: the first message along the
 * cause chain, named for what it is, never {@code null}. The JDK's HTTP client throws a {@link
 * ConnectException} without a message when a connection is refused; that reads "connection
 * refused".
 */
final class Failures {
  private Failures() {}

  /** Why {@code error} happened, in a few words; never {@code null} or empty. */
  static String cause(Throwable error) {
    String message = firstMessage(error);
    if (find(error, UnknownHostException.class) != null
        || find(error, UnresolvedAddressException.class) != null) {
      return message == null ? "unknown host" : "unknown host: " + message;
    }
    if (message != null) {
      return message;
    }
    if (find(error, ConnectException.class) != null) {
      return "connection refused";
    }
    return error.getClass().getSimpleName();
  }

  private static String firstMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        return message.strip();
      }
    }
    return null;
  }

  private static Throwable find(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }
}
