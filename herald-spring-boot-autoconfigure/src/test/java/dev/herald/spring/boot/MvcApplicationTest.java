package dev.herald.spring.boot;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Spring MVC test application ({@link dev.herald.spring.boot.mvc.MvcApp}) on a real port with
 * the embedded hub: one configuration, so that the test classes using it share one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = dev.herald.spring.boot.mvc.MvcApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.hub.enabled=true",
      "herald.hub.port=0",
      "herald.hub.jwt-secret=a-test-secret-that-is-long-enough-for-hs256",
      "herald.stream.heartbeat=200ms",
      // Known issue (docs/spring.md): the slow consumer's request, cut off while Tomcat holds bytes
      // it could not send, stays counted as in progress, and graceful shutdown would wait 30 s.
      "server.shutdown=immediate",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.group.herald.include=heraldHub"
    })
@interface MvcApplicationTest {}
