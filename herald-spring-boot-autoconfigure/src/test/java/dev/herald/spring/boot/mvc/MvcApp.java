package dev.herald.spring.boot.mvc;

import dev.herald.server.Broadcaster;
import dev.herald.spring.TopicStream;
import dev.herald.spring.servlet.HubResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC application under Spring Security whose controller returns Herald streams. */
@SpringBootApplication
public class MvcApp {
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health/**", "/public/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .httpBasic(Customizer.withDefaults())
        .csrf(c -> c.disable())
        .build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}secret").roles("USER").build());
  }

  @RestController
  static class News {
    private final Broadcaster<Void> broadcaster;
    private final HubResponses hub;

    News(Broadcaster<Void> broadcaster, HubResponses hub) {
      this.broadcaster = broadcaster;
      this.hub = hub;
    }

    @GetMapping("/news")
    TopicStream news() {
      return TopicStream.of(broadcaster, "news");
    }

    @GetMapping("/public/news")
    TopicStream publicNews() {
      return TopicStream.of(broadcaster, "public");
    }

    @GetMapping("/slow")
    TopicStream slow() {
      return TopicStream.of(broadcaster, "flood")
          .maxPendingBytes(64 * 1024)
          .heartbeat(Duration.ZERO);
    }

    @GetMapping("/page")
    String page(HttpServletResponse response, Principal user) {
      hub.discover(response);
      hub.authorize(response, List.of("https://app.example/users/" + user.getName()));
      return "hello " + user.getName();
    }
  }
}
