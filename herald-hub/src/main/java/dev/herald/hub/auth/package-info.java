/**
 * Authorization for the hub: one {@link dev.herald.hub.auth.AccessPolicy} that every path asks, and
 * its default, {@link dev.herald.hub.auth.TokenPolicy}: OAuth 2.0 JWT access tokens (RFC 9068)
 * carrying Mercure authorization details (RFC 9396), verified and minted.
 *
 * <h2>The access policy</h2>
 *
 * <p>The hub asks its policy whether a request may publish an update, subscribe, or read the
 * subscription API; a subscription's {@link dev.herald.hub.auth.ReadAccess} then answers for every
 * update it would receive, live and replayed. A refusal is an {@link
 * dev.herald.hub.auth.AccessDeniedException}, which carries the answer: status, and whether with a
 * {@code WWW-Authenticate} challenge. A policy sees the request as an {@link
 * dev.herald.hub.auth.AccessRequest} (headers, trusted origin), so tokens are one credential among
 * others: a policy may recognize an API key, a session cookie, or a client certificate checked by a
 * proxy. To add a rule to Mercure's, delegate to a {@code TokenPolicy} (see {@link
 * dev.herald.hub.auth.AccessPolicy}); give the hub the result with {@code
 * Hub.Builder.accessPolicy}.
 *
 * <h2>Tokens: quick start</h2>
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
 *   <li><b>Restricted update</b>: one some subscriber may be refused ({@link
 *       dev.herald.hub.auth.AccessPolicy#restricts}); with tokens, a private update. Others go to
 *       exact-topic subscribers without asking.
 *   <li><b>Legacy token</b>: a pre-1.0 Mercure token ({@code typ: JWT} or none, a {@code mercure}
 *       claim), as deployed publishers (Symfony, API Platform, Laravel) mint. Accepted by default,
 *       held to the same rules as an access token; without {@code aud} only a <b>legacy key</b>
 *       verifies it; a strict policy refuses it.
 * </ul>
 *
 * <p>{@link dev.herald.hub.auth.TokenException} is the one failure of tokens, an {@code
 * AccessDeniedException}: {@code invalid_request} for a malformed {@code Authorization} header,
 * {@code invalid_token} for everything about the token. Its messages never hold the token. It is
 * unchecked, a {@link dev.herald.hub.mercure.HubException} as every failure of the hub.
 *
 * <p>This package imports {@code dev.herald.hub.mercure} (topic matchers, updates) and never {@code
 * dev.herald.hub}: the hub uses authorization, not the other way round.
 */
package dev.herald.hub.auth;
