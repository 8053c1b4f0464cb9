package dev.herald.spring.boot;

import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.store.SqliteUpdateStore;
import dev.herald.publisher.HubPublisher;
import dev.herald.publisher.HubTokens;
import dev.herald.publisher.Publisher;
import dev.herald.publisher.SubscriberCookie;
import dev.herald.server.Broadcaster;
import dev.herald.server.RingEventLog;
import dev.herald.server.ServerSettings;
import dev.herald.spring.Heartbeats;
import dev.herald.spring.HubDiscovery;
import dev.herald.spring.OpenStreams;
import dev.herald.spring.StreamSettings;
import dev.herald.spring.SubscriberAuthorization;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Herald in a Spring Boot application. With {@code herald.hub.enabled=true} a Herald hub runs
 * inside the application on a port of its own ({@link Hub}, started and stopped with the context,
 * on the application's {@link MeterRegistry}, with a health indicator); with {@code herald.hub.url}
 * the same beans point at an external Mercure hub. Either way: a {@link Publisher}, {@link
 * HubTokens} and a {@link SubscriberAuthorization} when a key is known, a {@link HubDiscovery}.
 * Always: a {@link Broadcaster} and the settings for controllers that return a {@code TopicStream}.
 * Every bean backs off when the application defines its own.
 *
 * @since 0.2
 */
@AutoConfiguration
@EnableConfigurationProperties(HeraldProperties.class)
public class HeraldAutoConfiguration {
  /** Used by Spring. */
  public HeraldAutoConfiguration() {}

  /** The broadcaster controllers stream from, keeping {@code herald.stream.history-size} events. */
  @Bean
  @ConditionalOnMissingBean(Broadcaster.class)
  public Broadcaster<Void> heraldBroadcaster(HeraldProperties properties) {
    return Broadcaster.create(
        RingEventLog.builder().maxEvents(properties.getStream().getHistorySize()).build());
  }

  /** The heartbeat timer of controllers' streams. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Heartbeats heraldHeartbeats() {
    return new Heartbeats();
  }

  /** The controllers' open streams, closed when the application stops. */
  @Bean
  @ConditionalOnMissingBean
  public OpenStreams heraldOpenStreams() {
    return new OpenStreams();
  }

  /** The defaults of controllers' streams, from {@code herald.stream.*}. */
  @Bean
  @ConditionalOnMissingBean
  public StreamSettings heraldStreamSettings(HeraldProperties properties) {
    HeraldProperties.Stream s = properties.getStream();
    return new StreamSettings(
        s.getHeartbeat(), s.getMaxPendingBytes(), s.getLastEventIdParameter());
  }

  /** The hub's URL and discovery link, when a hub is configured. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(HubConfigured.class)
  public HubDiscovery heraldHubDiscovery(
      HeraldProperties properties, ObjectProvider<HubIdentity> embedded) {
    HubIdentity identity = embedded.getIfAvailable();
    return new HubDiscovery(identity != null ? identity.url() : properties.getHub().getUrl());
  }

  /**
   * Subscriber tokens and cookies, when a key to mint tokens is known: always with the embedded
   * hub, with an external one when {@code herald.hub.jwt-secret} is set. (Member configurations,
   * which define {@link HubTokens}, are processed before this class's own bean methods.)
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(HubTokens.class)
  @Conditional(HubConfigured.class)
  public SubscriberAuthorization heraldSubscriberAuthorization(
      HeraldProperties properties, HubTokens minter, HubDiscovery discovery) {
    HeraldProperties.Subscriber s = properties.getSubscriber();
    return new SubscriberAuthorization(
        minter,
        discovery.hubUrl(),
        s.getTokenTtl(),
        properties.getHub().getCookieName(),
        s.getCookieDomain(),
        s.getCookieSameSite());
  }

  /** The embedded hub: {@code herald.hub.enabled=true}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "herald.hub.enabled", havingValue = "true")
  static class EmbeddedHubConfiguration {
    /** The key, the URL and the audience the hub and the tokens share. */
    @Bean
    HubIdentity heraldHubIdentity(HeraldProperties properties) {
      HeraldProperties.Hub p = properties.getHub();
      int port = p.getPort() == 0 ? freePort() : p.getPort();
      String url = p.getUrl() != null ? p.getUrl() : "http://localhost:" + port + Hub.DEFAULT_PATH;
      String secret =
          p.getJwtSecret() != null ? p.getJwtSecret() : TokenMinter.generateHmacSecret();
      String audience = p.getJwtAudience() != null ? p.getJwtAudience() : url;
      return new HubIdentity(port, url, audience, secret.getBytes(StandardCharsets.UTF_8));
    }

    @Bean
    @ConditionalOnMissingBean
    HubTokens heraldHubTokens(HeraldProperties properties, HubIdentity identity) {
      return HubTokens.builder()
          .hmacSecret(identity.secret())
          .issuer(properties.getHub().getJwtIssuer())
          .audience(identity.audience())
          .ttl(properties.getSubscriber().getTokenTtl())
          .build();
    }

    @Bean
    @ConditionalOnMissingBean
    Hub heraldHub(
        HeraldProperties properties, HubIdentity identity, ObjectProvider<MeterRegistry> meters) {
      HeraldProperties.Hub p = properties.getHub();
      ServerSettings.Builder server = ServerSettings.builder().port(identity.port());
      if (p.getHost() != null) {
        server.host(p.getHost());
      }
      if (p.getHeartbeat() != null) {
        server.heartbeat(p.getHeartbeat());
      }
      if (p.getMaxConnections() != null) {
        server.maxConnections(p.getMaxConnections());
      }
      if (p.getMaxPendingBytes() != null) {
        server.maxPendingBytes(p.getMaxPendingBytes());
      }
      if (!p.getCorsOrigins().isEmpty()) {
        server.cors(true, p.getCorsOrigins().toArray(new String[0]));
      }
      Hub.Builder hub =
          Hub.builder()
              .server(server.build())
              .publicUrl(identity.url())
              .resource(identity.audience())
              .verifier(
                  TokenVerifier.builder()
                      .resource(identity.audience())
                      .hmacKey(p.getJwtIssuer(), identity.secret())
                      .build())
              .anonymousSubscribers(p.isAnonymousSubscribers())
              .cookieName(
                  p.getCookieName() != null
                      ? p.getCookieName()
                      : SubscriberCookie.defaultName(URI.create(identity.url())))
              .dashboard(p.isDashboard())
              .subscriptionsApi(p.isSubscriptionsApi());
      if (p.getNodeName() != null) {
        hub.nodeName(p.getNodeName());
      }
      if (p.getHistoryWindow() != null) {
        hub.historyWindow(p.getHistoryWindow());
      }
      if (p.getCoalesce() != null) {
        hub.coalesce(p.getCoalesce());
      }
      if (p.getMaxConnectionLifetime() != null) {
        hub.maxConnectionLifetime(p.getMaxConnectionLifetime());
      }
      MeterRegistry registry = meters.getIfAvailable();
      if (registry != null) {
        hub.meterRegistry(registry);
      }
      AutoCloseable store = openStore(hub, p); // last: nothing after it fails but the build
      try {
        return hub.build();
      } catch (RuntimeException e) {
        if (store != null) {
          try {
            store.close();
          } catch (Exception closing) {
            e.addSuppressed(closing);
          }
        }
        throw e;
      }
    }

    /**
     * Gives {@code hub} its store: Redis ({@code herald.hub.redis.url}), SQLite ({@code
     * herald.hub.store-path}) or none (the hub's memory); returns what to close should the hub not
     * be built.
     */
    private static AutoCloseable openStore(Hub.Builder hub, HeraldProperties.Hub p) {
      if (p.getRedis().getUrl() != null) {
        if (p.getStorePath() != null) {
          throw new IllegalStateException(
              "set one of herald.hub.store-path (SQLite) and herald.hub.redis.url (Redis), not both");
        }
        if (!EmbeddedRedis.available(HeraldAutoConfiguration.class.getClassLoader())) {
          throw new IllegalStateException(
              "herald.hub.redis.url needs dev.herald:herald-redis on the class path");
        }
        return EmbeddedRedis.configure(hub, p.getRedis(), p.getNodeName());
      }
      if (p.getStorePath() != null) {
        SqliteUpdateStore sqlite = SqliteUpdateStore.builder().path(p.getStorePath()).build();
        hub.store(sqlite);
        return sqlite;
      }
      return null;
    }

    @Bean
    EmbeddedHubLifecycle heraldHubLifecycle(Hub hub, HeraldProperties properties) {
      return new EmbeddedHubLifecycle(hub, properties.getHub().getDrain());
    }

    @Bean
    @ConditionalOnMissingBean
    Publisher heraldPublisher(Hub hub) {
      return new EmbeddedHubPublisher(hub);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {
      @Bean
      @ConditionalOnMissingBean(name = "heraldHubHealthIndicator")
      HubHealthIndicator heraldHubHealthIndicator(Hub hub, EmbeddedHubLifecycle lifecycle) {
        return new HubHealthIndicator(hub, lifecycle);
      }
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** An external hub: {@code herald.hub.url} without {@code herald.hub.enabled}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "herald.hub.url")
  @ConditionalOnProperty(name = "herald.hub.enabled", havingValue = "false", matchIfMissing = true)
  static class ExternalHubConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "herald.hub.jwt-secret")
    HubTokens heraldHubTokens(HeraldProperties properties) {
      HeraldProperties.Hub p = properties.getHub();
      return HubTokens.builder()
          .hmacSecret(p.getJwtSecret().getBytes(StandardCharsets.UTF_8))
          .issuer(p.getJwtIssuer())
          .audience(p.getJwtAudience() != null ? p.getJwtAudience() : p.getUrl())
          .ttl(properties.getSubscriber().getTokenTtl())
          .legacyClaim(p.isLegacyClaim())
          .build();
    }

    @Bean
    @ConditionalOnMissingBean
    Publisher heraldPublisher(HeraldProperties properties, ObjectProvider<HubTokens> tokens) {
      HeraldProperties.Publisher p = properties.getPublisher();
      HubPublisher.Builder publisher =
          HubPublisher.builder(URI.create(properties.getHub().getUrl()))
              .requestTimeout(p.getRequestTimeout())
              .maxAttempts(p.getMaxAttempts())
              .maxRetryTime(p.getMaxRetryTime());
      HubTokens minter = tokens.getIfAvailable();
      if (minter != null) {
        publisher.tokens(minter);
      }
      return publisher.build();
    }
  }

  /** What the embedded hub and its tokens share. */
  record HubIdentity(int port, String url, String audience, byte[] secret) {}
}
