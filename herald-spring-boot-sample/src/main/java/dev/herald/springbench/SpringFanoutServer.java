package dev.herald.springbench;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import dev.herald.spring.TopicStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The benchmark server of Herald's Spring MVC transport against the usual {@code SseEmitter} code,
 * for herald-bench's load generator ({@code ./herald bench --sub-url … --pub-url …}), both on the
 * reference URL shape and in the same application, on Tomcat:
 *
 * <ul>
 *   <li>{@code GET /herald/sub/{ch}}, {@code POST /herald/pub/{ch}}: the controller returns a
 *       {@link TopicStream} of a {@link Broadcaster}; the publish returns at once.
 *   <li>{@code GET /emitter/sub/{ch}}, {@code POST /emitter/pub/{ch}}: the controller keeps an
 *       {@link SseEmitter} per subscriber in a map and the publish loops over them, sending to each
 *       and dropping those whose send fails — the code the Spring guides show — with a comment to
 *       every emitter every 15 s, as the Herald streams have heartbeats.
 *   <li>{@code GET /threads}: the JVM's live and peak thread counts, and the publishes taken.
 * </ul>
 *
 * <p>Not run by the build; herald-bench starts it as its targets {@code spring-herald} and {@code
 * spring-emitter}, from the sample's jar: {@code java
 * -Dloader.main=dev.herald.springbench.SpringFanoutServer -cp
 * herald-spring-boot-sample/target/herald-spring-boot-sample.jar
 * org.springframework.boot.loader.launch.PropertiesLauncher --server.port=8098}; see herald-bench's
 * README. Tomcat takes 30,000 connections, keeps a keep-alive connection for any number of
 * requests, and the sample's own {@code application.properties} is not read.
 */
@SpringBootApplication(scanBasePackages = "dev.herald.springbench")
@EnableScheduling
public class SpringFanoutServer {
  /** Runs the server; Spring Boot arguments such as {@code --server.port=8095} apply. */
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(SpringFanoutServer.class);
    Map<String, Object> defaults = new HashMap<>();
    // Not the sample's application.properties: that one embeds a hub on port 8081, whose threads
    // and port this server must not take.
    defaults.put("spring.config.name", "springbench");
    defaults.put("herald.stream.heartbeat", "15s");
    // The byte budget of a stream is held on the heap: 10,000 streams of the default 1 MiB are 10
    // GiB against the 2 GiB every JVM server of the bench gets, and at 10,000 subscribers the
    // generator's probe (far above what the server delivers) filled the old generation until the
    // server spent all its time collecting. 64 KiB each: 640 MiB at most.
    defaults.put("herald.stream.max-pending-bytes", Integer.toString(64 * 1024));
    // 10,000 subscribers and more: connections and the listen backlog (the kernel caps it at
    // net.core.somaxconn); the process's file limit stays the limit.
    defaults.put("server.tomcat.max-connections", "30000");
    defaults.put("server.tomcat.accept-count", "10000");
    // Tomcat closes a keep-alive connection after 100 requests by default: the generator's
    // publisher connections would all be gone after 100 publishes each, its run ended early (the
    // references keep a connection for as many requests as come, nginx's keepalive_requests).
    defaults.put("server.tomcat.max-keep-alive-requests", "-1");
    // No users: the generated password's warning would only be noise.
    defaults.put(
        "spring.autoconfigure.exclude",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration");
    app.setDefaultProperties(defaults);
    app.run(args);
  }

  /** Open, as the other benchmark targets are: no login, no CSRF (Spring Security is present). */
  @Bean
  SecurityFilterChain open(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .csrf(c -> c.disable())
        .build();
  }

  @RestController
  static class Endpoints {
    private final Broadcaster<Void> broadcaster;
    private final Map<String, Set<SseEmitter>> emitters = new ConcurrentHashMap<>();
    private final AtomicLong publishes = new AtomicLong();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    Endpoints(Broadcaster<Void> broadcaster) {
      this.broadcaster = broadcaster;
    }

    /**
     * A comment to every emitter every 15 s, as the Herald streams get ({@code
     * herald.stream.heartbeat}): an {@code SseEmitter} learns that its client left only when a send
     * fails, and without it the subscribers of a channel nobody publishes to any more would hold
     * their connections for good (the generator's next trial would find the server's files used
     * up).
     */
    @Scheduled(fixedRate = 15, timeUnit = TimeUnit.SECONDS)
    void emitterHeartbeat() {
      for (Set<SseEmitter> set : emitters.values()) {
        for (SseEmitter emitter : set) {
          try {
            emitter.send(SseEmitter.event().comment(""));
          } catch (IOException | IllegalStateException e) {
            set.remove(emitter);
          }
        }
      }
    }

    @GetMapping("/herald/sub/{ch}")
    TopicStream heraldSubscribe(@PathVariable("ch") String channel) {
      return TopicStream.of(broadcaster, channel);
    }

    @PostMapping("/herald/pub/{ch}")
    String heraldPublish(@PathVariable("ch") String channel, @RequestBody byte[] body) {
      publishes.incrementAndGet();
      return broadcaster.publish(channel, SseEvent.of(new String(body, StandardCharsets.UTF_8)));
    }

    @GetMapping("/emitter/sub/{ch}")
    SseEmitter emitterSubscribe(
        @PathVariable("ch") String channel,
        @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
      SseEmitter emitter = new SseEmitter(0L); // no timeout; no replay: SseEmitter has none
      Set<SseEmitter> set = emitters.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet());
      set.add(emitter);
      emitter.onCompletion(() -> set.remove(emitter));
      emitter.onError(e -> set.remove(emitter));
      // Spring sends the response head with the first event only: a subscriber would not know it
      // is subscribed (nor would the generator count it connected) until something is published.
      // A comment first, as such controllers usually send, lets the head go at once.
      try {
        emitter.send(SseEmitter.event().comment("subscribed"));
      } catch (IOException e) {
        set.remove(emitter);
        emitter.completeWithError(e);
      }
      return emitter;
    }

    @PostMapping("/emitter/pub/{ch}")
    String emitterPublish(@PathVariable("ch") String channel, @RequestBody byte[] body) {
      String id = Long.toString(publishes.incrementAndGet());
      String data = new String(body, StandardCharsets.UTF_8);
      for (SseEmitter emitter : emitters.getOrDefault(channel, Set.of())) {
        try {
          emitter.send(SseEmitter.event().id(id).data(data));
        } catch (IOException | IllegalStateException e) {
          emitters.get(channel).remove(emitter);
        }
      }
      return id;
    }

    @GetMapping("/threads")
    Map<String, Long> threads() {
      return Map.of(
          "live", (long) threads.getThreadCount(),
          "peak", (long) threads.getPeakThreadCount(),
          "publishes", publishes.get());
    }
  }
}
