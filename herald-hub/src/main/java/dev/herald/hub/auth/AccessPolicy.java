package dev.herald.hub.auth;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.util.List;

/**
 * Who may do what on a hub: publish an update, subscribe, read an update, read the subscription
 * API. The hub asks its one policy on every path — the publish route, the subscribe route, every
 * update a subscriber would receive (live and replayed alike, through the {@link ReadAccess} the
 * policy granted it when it subscribed), and the subscription API — so a rule written here holds
 * everywhere.
 *
 * <p>{@link TokenPolicy} is the Mercure protocol's rules on OAuth 2.0 access tokens, the hub's
 * default; tokens are one way to tell who is asking, and a policy may use any other that a request
 * carries ({@link AccessRequest}: its headers, whether it comes from the hub's own origin). A
 * policy that adds a rule to Mercure's can delegate to a {@link TokenPolicy}:
 *
 * <pre>{@code
 * final class NoDrafts implements AccessPolicy {
 *   private final AccessPolicy tokens = TokenPolicy.builder().verifier(verifier).build();
 *
 *   public ReadAccess subscribe(AccessRequest request, List<TopicMatcher> matchers) {
 *     return tokens.subscribe(request, matchers).and(update -> !isDraft(update));
 *   }
 *   public void publish(AccessRequest request, Update update) { tokens.publish(request, update); }
 *   public void readSubscriptions(AccessRequest request, String path) {
 *     tokens.readSubscriptions(request, path);
 *   }
 *   public boolean restricts(Update update) { return isDraft(update) || tokens.restricts(update); }
 * }
 * }</pre>
 *
 * <p>A refusal is an {@link AccessDeniedException}, which says how the hub answers: its status, and
 * whether with an RFC 6750 {@code WWW-Authenticate} challenge. Its messages go to clients and logs,
 * so they never hold a credential.
 *
 * <p>Implementations must be thread-safe: the hub calls them on its event loops, concurrently, and
 * they must not block (a token verifier that fetches keys does so off the request path).
 *
 * @since 0.1
 */
public interface AccessPolicy {
  /**
   * Decides a subscription to {@code matchers}, and what the subscriber may then read: the hub asks
   * the returned {@link ReadAccess} about every update the matchers select, live and replayed, and
   * ends the subscription at its {@link ReadAccess#expiresAt()}.
   *
   * @throws AccessDeniedException if the requester may not subscribe
   */
  ReadAccess subscribe(AccessRequest request, List<TopicMatcher> matchers);

  /**
   * Decides whether the requester may publish {@code update}, which is valid (every rule of
   * "Publication" holds) but not yet stored. Returns normally if it may.
   *
   * @throws AccessDeniedException if it may not
   */
  void publish(AccessRequest request, Update update);

  /**
   * Decides whether the requester may read the subscription API at {@code path} (the collection
   * {@code /.well-known/mercure/subscriptions}, or one below it). Returns normally if it may.
   *
   * @throws AccessDeniedException if it may not
   */
  void readSubscriptions(AccessRequest request, String path);

  /**
   * Whether some subscriber might be refused {@code update} by its {@link ReadAccess}. If not, the
   * hub sends it to the subscribers of its exact topics without asking them — one shared write —
   * and asks only the others (URL patterns, {@code *}), which it must ask anyway. Called once per
   * update, before it is delivered, on the thread that dispatches it. Default {@code true}: every
   * subscriber is asked about every update, which is always correct; the token policy answers
   * whether the update is private.
   */
  default boolean restricts(Update update) {
    return true;
  }
}
