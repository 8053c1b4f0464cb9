package dev.herald.spring.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Records what the application logs at WARN and above, to check that nothing is. Attach it once the
 * application has started: Spring Boot configures Logback afresh at start, dropping appenders added
 * before.
 */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  LogCapture() {
    appender.start();
  }

  /** Attaches to the root logger, if not attached yet. */
  void attach() {
    if (!root.isAttached(appender)) {
      root.addAppender(appender);
    }
  }

  /** The WARN and ERROR events so far, as text. */
  List<String> warnings() {
    synchronized (appender.list) {
      return appender.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          // The JDK's entropy, slow on a busy test machine: the environment's, not the streams'.
          .filter(e -> !e.getLoggerName().endsWith("SessionIdGeneratorBase"))
          .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
          .collect(Collectors.toList());
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
