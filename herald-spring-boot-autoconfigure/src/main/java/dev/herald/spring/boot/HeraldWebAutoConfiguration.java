package dev.herald.spring.boot;

import dev.herald.spring.Heartbeats;
import dev.herald.spring.HubDiscovery;
import dev.herald.spring.OpenStreams;
import dev.herald.spring.StreamSettings;
import dev.herald.spring.SubscriberAuthorization;
import dev.herald.spring.reactive.TopicStreamResultHandler;
import dev.herald.spring.servlet.HubResponses;
import dev.herald.spring.servlet.TopicStreamReturnValueHandler;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Herald in Spring MVC and WebFlux: controllers may return a {@code TopicStream}, served on the
 * application's own port with Herald's semantics, and {@code HubResponses} add the discovery link
 * and the subscriber cookie to responses.
 *
 * @since 0.2
 */
@AutoConfiguration(after = HeraldAutoConfiguration.class)
public class HeraldWebAutoConfiguration {
  /** Used by Spring. */
  public HeraldWebAutoConfiguration() {}

  /** Spring MVC. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(RequestMappingHandlerAdapter.class)
  static class Mvc {
    @Bean
    @ConditionalOnMissingBean
    TopicStreamReturnValueHandler heraldTopicStreamReturnValueHandler(
        StreamSettings settings, Heartbeats heartbeats, OpenStreams open) {
      return new TopicStreamReturnValueHandler(settings, heartbeats, open);
    }

    /**
     * Puts the {@code TopicStream} handler first, ahead of {@code @ResponseBody}'s, which would
     * otherwise write it as JSON.
     */
    @Bean
    static BeanPostProcessor heraldTopicStreamFirst(
        ObjectProvider<TopicStreamReturnValueHandler> handler) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (bean instanceof RequestMappingHandlerAdapter) {
            RequestMappingHandlerAdapter adapter = (RequestMappingHandlerAdapter) bean;
            List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
            handlers.add(handler.getObject());
            if (adapter.getReturnValueHandlers() != null) {
              handlers.addAll(adapter.getReturnValueHandlers());
            }
            adapter.setReturnValueHandlers(handlers);
          }
          return bean;
        }
      };
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(HubConfigured.class)
    HubResponses heraldHubResponses(
        HubDiscovery discovery, ObjectProvider<SubscriberAuthorization> authorization) {
      return new HubResponses(discovery, authorization.getIfAvailable());
    }
  }

  /** WebFlux. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.reactive.HandlerResultHandler")
  static class WebFlux {
    @Bean
    @ConditionalOnMissingBean
    TopicStreamResultHandler heraldTopicStreamResultHandler(
        StreamSettings settings, Heartbeats heartbeats, OpenStreams open) {
      return new TopicStreamResultHandler(settings, heartbeats, open);
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(HubConfigured.class)
    dev.herald.spring.reactive.HubResponses heraldReactiveHubResponses(
        HubDiscovery discovery, ObjectProvider<SubscriberAuthorization> authorization) {
      return new dev.herald.spring.reactive.HubResponses(discovery, authorization.getIfAvailable());
    }
  }
}
