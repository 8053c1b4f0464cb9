package dev.herald.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What {@link HeraldServerExtension} and {@link HubExtension} share: start a {@code T} in the first
 * of {@code beforeAll} and {@code beforeEach} that JUnit calls, and stop it when the context that
 * started it ends. JUnit calls {@code beforeAll} only on an extension in a static field, so a
 * static field gets one {@code T} for the class, an instance field one per test; a nested class or
 * a second {@code beforeAll} finds it running and leaves it alone.
 */
abstract class Lifecycle<T>
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private final Class<T> type;
  private T running;
  private String owner; // the unique ID of the context that started it

  Lifecycle(Class<T> type) {
    this.type = type;
  }

  /**
   * Builds and starts a {@code T} on 127.0.0.1 and {@code port}, 0 for a free one; if starting
   * fails, closes whatever it had built before throwing.
   */
  abstract T start(int port);

  /** Stops {@code running} at once and releases its port and threads. */
  abstract void stop(T running);

  /** The port {@code running} is bound to. */
  abstract int port(T running);

  @Override
  public void beforeAll(ExtensionContext context) {
    startFor(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startFor(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stopFor(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopFor(context);
  }

  private synchronized void startFor(ExtensionContext context) {
    if (running == null) {
      running = start(0);
      owner = context.getUniqueId();
    }
  }

  private synchronized void stopFor(ExtensionContext context) {
    if (running != null && context.getUniqueId().equals(owner)) {
      T stopping = running;
      running = null;
      owner = null;
      stop(stopping);
    }
  }

  /** The running {@code T}; fails if JUnit has not started it yet or has stopped it. */
  final synchronized T running() {
    if (running == null) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + ": not running; it starts before each test (in a static field: before all tests)"
              + " and stops after");
    }
    return running;
  }

  /** Stops the running {@code T} and starts a new one on the same port. */
  final synchronized void restartOnSamePort() {
    T old = running();
    int port = port(old);
    running = null;
    stop(old);
    running = start(port);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return running();
    } catch (IllegalStateException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }
}
