package dev.herald.hub.store;

import java.util.Objects;

/**
 * One active subscription, as the subscription API lists it: a subscriber's matcher. {@code id} is
 * the subscription's IRI ({@code /.well-known/mercure/subscriptions/{type}/{match}/{subscriber}},
 * unique in a cluster since subscriber IDs are); {@code json} is the whole JSON document the API
 * answers for it ({@code "active": true}), made once by the hub that holds the subscription, so a
 * directory stores and returns it without knowing its shape.
 *
 * @param id the subscription's IRI, the key a directory stores it under
 * @param subscriber the subscriber's ID ({@code urn:uuid:…})
 * @param matchType the matcher's type ({@code exact}, {@code urlpattern})
 * @param match the matcher's value
 * @param json the subscription's JSON document
 * @since 0.2
 */
public record ActiveSubscription(
    String id, String subscriber, String matchType, String match, String json) {
  /** Checks that no part is null. */
  public ActiveSubscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subscriber, "subscriber");
    Objects.requireNonNull(matchType, "matchType");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(json, "json");
  }

  /**
   * Whether the subscription API's path selects this subscription: each of {@code matchType},
   * {@code match} and {@code subscriber} equal, or {@code null} for any.
   */
  public boolean selectedBy(String matchType, String match, String subscriber) {
    return (matchType == null || this.matchType.equals(matchType))
        && (match == null || this.match.equals(match))
        && (subscriber == null || this.subscriber.equals(subscriber));
  }
}
