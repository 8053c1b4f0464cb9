package dev.herald.spring.boot.mvc;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import dev.herald.server.Cursor;
import dev.herald.server.EventLog;
import dev.herald.server.LoggedEvent;
import dev.herald.server.RingEventLog;
import dev.herald.spring.TopicStream;
import dev.herald.spring.servlet.HubResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
  /**
   * A broadcaster whose every resume finds a gap, and whose deliveries run on a thread of their own
   * while the caller waits up to 300 ms for each: a resuming stream is closed (its client told of
   * the gap) from another thread while the request thread is still subscribing (MvcTest).
   */
  public static final Broadcaster<Void> HANDOFF =
      Broadcaster.<Void>builder(new Forgetful())
          .deliverOn(
              task -> {
                Thread delivery = new Thread(task, "handoff-delivery");
                delivery.start();
                try {
                  delivery.join(300);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              })
          .build();

  /** A log that knows its IDs but has lost every event after them: each resume is a gap. */
  private static final class Forgetful implements EventLog<Void> {
    private final EventLog<Void> ring = RingEventLog.<Void>builder().maxEvents(5).build();

    @Override
    public LoggedEvent<Void> append(Set<String> topics, SseEvent event, Void payload) {
      return ring.append(topics, event, payload);
    }

    @Override
    public Cursor last() {
      return ring.last();
    }

    @Override
    public Optional<Cursor> positionOf(String id) {
      return ring.positionOf(id);
    }

    @Override
    public Optional<List<LoggedEvent<Void>>> read(Cursor after, int maxEvents, long maxBytes) {
      return Optional.empty();
    }
  }

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

    @GetMapping("/public/handoff")
    TopicStream handoff() {
      return TopicStream.of(HANDOFF, "handoff");
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
