/**
 * The auto-configuration of Herald for Spring Boot: {@link
 * dev.herald.spring.boot.HeraldAutoConfiguration} (the hub, embedded or external, the publisher,
 * tokens, cookies, discovery, the broadcaster of controllers' streams) and {@link
 * dev.herald.spring.boot.HeraldWebAutoConfiguration} (Spring MVC and WebFlux), with their
 * properties, {@link dev.herald.spring.boot.HeraldProperties}. Applications depend on {@code
 * herald-spring-boot-starter} and configure {@code herald.*}; see docs/spring.md.
 */
package dev.herald.spring.boot;
