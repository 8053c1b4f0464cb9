package dev.herald.spring.boot.webflux;

import dev.herald.server.Broadcaster;
import dev.herald.spring.TopicStream;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A WebFlux application under Spring Security whose controller returns Herald streams. */
@SpringBootApplication
public class WebFluxApp {
  @Bean
  SecurityWebFilterChain security(ServerHttpSecurity http) {
    return http.authorizeExchange(a -> a.anyExchange().authenticated())
        .httpBasic(Customizer.withDefaults())
        .csrf(c -> c.disable())
        .build();
  }

  @Bean
  MapReactiveUserDetailsService users() {
    return new MapReactiveUserDetailsService(
        User.withUsername("alice").password("{noop}secret").roles("USER").build());
  }

  @RestController
  static class News {
    private final Broadcaster<Void> broadcaster;

    News(Broadcaster<Void> broadcaster) {
      this.broadcaster = broadcaster;
    }

    @GetMapping("/news")
    TopicStream news() {
      return TopicStream.of(broadcaster, "news");
    }
  }
}
