/**
 * Authorization for the hub: OAuth 2.0 JWT access tokens (RFC 9068) carrying Mercure authorization
 * details (RFC 9396), verified and minted.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * TokenVerifier verifier = TokenVerifier.builder()
 *     .resource("https://example.com/.well-known/mercure")
 *     .jwksUrl("https://auth.example.com", URI.create("https://auth.example.com/jwks.json"),
 *         Duration.ofMinutes(15))
 *     .build();
 *
 * String token = TokenVerifier.bearer(authorizationHeader); // null: no token, anonymous
 * Grants grants = token == null ? Grants.none() : verifier.verify(token);
 * if (grants.mayPublish(topic)) { ... }
 * }</pre>
 *
 * <h2>Glossary</h2>
 *
 * <ul>
 *   <li><b>Issuer</b>: who signs tokens ({@code iss}); each trusted key belongs to one, and a token
 *       is checked only with its issuer's keys.
 *   <li><b>Resource</b>: the hub's identifier, which the token's {@code aud} must contain.
 *   <li><b>Grants</b>: what a verified token allows: publish and subscribe rights per topic, and
 *       the payload attached to a subscription.
 *   <li><b>Legacy token</b>: a pre-1.0 Mercure token ({@code typ: JWT}, a {@code mercure} claim),
 *       accepted only in compatibility mode.
 * </ul>
 *
 * <p>{@link dev.herald.hub.auth.TokenException} is the one failure: {@code invalid_request} for a
 * malformed {@code Authorization} header, {@code invalid_token} for everything about the token. Its
 * messages never hold the token. It is unchecked, a {@link dev.herald.hub.mercure.HubException} as
 * every failure of the hub.
 *
 * <p>This package imports {@code dev.herald.hub.mercure} (topic matchers, updates) and never {@code
 * dev.herald.hub}: the hub uses authorization, not the other way round.
 */
package dev.herald.hub.auth;
