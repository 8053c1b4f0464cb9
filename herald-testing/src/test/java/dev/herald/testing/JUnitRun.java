package dev.herald.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a test class through the JUnit launcher, as a build would: how an extension's tests see what
 * it does before and after the tests of the class that registers it.
 */
final class JUnitRun {
  /**
   * The tag of the sample classes that only {@link #run} runs: the build leaves them out ({@code
   * excludedGroups} in the pom), even when {@code -Dtest=...} names them by a pattern.
   */
  static final String SAMPLE = "sample";

  private JUnitRun() {}

  /** Runs the tests of {@code testClass} (a static nested class, which no build runs by itself). */
  static TestExecutionSummary run(Class<?> testClass) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
            listener);
    return listener.getSummary();
  }

  /** The exceptions the failed tests of {@code summary} failed with. */
  static List<Throwable> failures(TestExecutionSummary summary) {
    return summary.getFailures().stream().map(TestExecutionSummary.Failure::getException).toList();
  }
}
