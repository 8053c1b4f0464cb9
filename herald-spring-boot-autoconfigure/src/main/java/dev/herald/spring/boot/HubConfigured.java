package dev.herald.spring.boot;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** A hub is configured: an embedded one ({@code herald.hub.enabled}) or an external one's URL. */
final class HubConfigured extends AnyNestedCondition {
  HubConfigured() {
    super(ConfigurationPhase.REGISTER_BEAN);
  }

  @ConditionalOnProperty(name = "herald.hub.enabled", havingValue = "true")
  static final class Embedded {}

  @ConditionalOnProperty(name = "herald.hub.url")
  static final class External {}
}
