package dev.herald.hub.auth;

import static dev.herald.hub.auth.Jwts.MERCURE;
import static dev.herald.hub.auth.Jwts.claims;
import static dev.herald.hub.auth.Jwts.detail;
import static dev.herald.hub.auth.Jwts.exact;
import static dev.herald.hub.auth.Jwts.hs256;
import static dev.herald.hub.auth.Jwts.urlpattern;
import static dev.herald.hub.auth.Jwts.verifier;
import static dev.herald.hub.auth.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.mercure.TopicMatcher;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mercure "Authorization": Mercure authorization details (RFC 9396) and the rights they grant. */
class AuthorizationDetailsTest {
  private static final String BOOK = "https://example.com/books/1";

  private final TokenVerifier verifier = verifier().build();

  private Grants grants(Object... details) throws TokenException {
    return verifier.verify(hs256(claims(details)));
  }

  @Test
  void publishDetailGrantsPublishingOnlyOnItsTopics() throws Exception {
    Grants grants = grants(detail("publish", exact(BOOK)));

    assertThat(grants.mayPublish(BOOK)).isTrue();
    assertThat(grants.mayPublish(BOOK + "/")).isFalse();
    assertThat(grants.maySubscribe(BOOK)).isFalse();
  }

  @Test
  void wildcardGrantsEveryTopic() throws Exception {
    Grants grants = grants(detail("subscribe", urlpattern("*")));

    assertThat(grants.maySubscribe("urn:anything")).isTrue();
    assertThat(grants.maySubscribeAny(List.of("a", "b"))).isTrue();
    assertThat(grants.mayPublish("urn:anything")).isFalse();
  }

  @Test
  void urlPatternGrantsMatchingTopics() throws Exception {
    Grants grants = grants(detail("subscribe", urlpattern("https://example.com/books/:id")));

    assertThat(grants.maySubscribe(BOOK)).isTrue();
    assertThat(grants.maySubscribe("https://example.com/authors/1")).isFalse();
    assertThat(grants.maySubscribeAny(List.of("https://example.com/authors/1", BOOK))).isTrue();
    assertThat(grants.maySubscribeAny(List.of("https://example.com/authors/1"))).isFalse();
  }

  @Test
  void relativeUrlPatternResolvesAgainstTheHubUrl() throws Exception {
    Grants grants = grants(detail("publish", urlpattern("/books/*")));

    assertThat(grants.mayPublish(BOOK)).isTrue();
    assertThat(grants.mayPublish("https://other.example.com/books/1")).isFalse();
  }

  @Test
  void tokenWithoutAuthorizationDetailsGrantsNothing() throws Exception {
    Grants grants = verifier.verify(hs256(claims()));

    assertThat(grants.mayPublish(BOOK)).isFalse();
    assertThat(grants.maySubscribe(BOOK)).isFalse();
    assertThat(Grants.none().maySubscribe(BOOK)).isFalse();
  }

  @Test
  void unknownActionsAreIgnored() throws Exception {
    Grants grants = grants(detail(List.of("read", "publish"), List.of(exact(BOOK))));
    Grants none = grants(detail("read", exact(BOOK)));

    assertThat(grants.mayPublish(BOOK)).isTrue();
    assertThat(none.mayPublish(BOOK)).isFalse();
    assertThat(none.maySubscribe(BOOK)).isFalse();
  }

  @Test
  void detailsOfOtherTypesGrantNothing() throws Exception {
    Map<String, Object> other =
        Map.of("type", "payment_initiation", "actions", List.of("publish"), "topics", "whatever");

    Grants grants = grants(other);

    assertThat(grants.mayPublish(BOOK)).isFalse();
  }

  @Test
  void malformedMercureDetailRejectsTheWholeToken() {
    Object good = detail("publish", exact("*"));
    Map<String, Object> noActions = Map.of("type", MERCURE, "topics", List.of(exact(BOOK)));
    Map<String, Object> noTopics = Map.of("type", MERCURE, "actions", List.of("publish"));

    assertInvalid(verifier, hs256(claims(good, noActions)), "actions is not a non-empty array");
    assertInvalid(verifier, hs256(claims(good, noTopics)), "topics is not a non-empty array");
    assertInvalid(verifier, hs256(claims(detail(List.of(), List.of(exact(BOOK))))), "actions");
    assertInvalid(verifier, hs256(claims(detail("publish"))), "topics");
  }

  @Test
  void nonStringActionIsInvalid() {
    assertInvalid(
        verifier,
        hs256(claims(detail(List.of("publish", 1), List.of(exact(BOOK))))),
        "action that is not a string");
  }

  @Test
  void nonObjectTopicIsInvalid() {
    assertInvalid(
        verifier,
        hs256(claims(detail(List.of("publish"), List.of(BOOK)))),
        "topic that is not an object");
    assertInvalid(
        verifier, hs256(claims(detail("publish", Map.of("match_type", "exact")))), "match");
  }

  @Test
  void unsupportedMatchTypeIsInvalid() {
    assertInvalid(
        verifier,
        hs256(claims(detail("publish", Map.of("match", BOOK, "match_type", "regexp")))),
        "match_type is not supported");
  }

  @Test
  void invalidUrlPatternIsInvalid() {
    assertInvalid(
        verifier,
        hs256(claims(detail("publish", urlpattern("https://example.com/(")))),
        "invalid topic matcher");
  }

  @Test
  void nonObjectDetailOrNonArrayClaimIsInvalid() {
    assertInvalid(verifier, hs256(claims("publish")), "not an object");
    assertInvalid(
        verifier, hs256(claims().claim("authorization_details", Map.of())), "not an array");
  }

  @Test
  void payloadMustBeAnObject() {
    Map<String, Object> detail = detail("subscribe", exact(BOOK));
    detail.put("payload", "text");

    assertInvalid(verifier, hs256(claims(detail)), "payload is not an object");
  }

  @Test
  void tooManyDetailsIsInvalid() throws Exception {
    TokenVerifier two = verifier().maxDetails(2).build();
    Object d = detail("publish", exact(BOOK));
    Object other = Map.of("type", "other");

    assertThat(two.verify(hs256(claims(d, other, d, other))).mayPublish(BOOK)).isTrue();
    assertInvalid(two, hs256(claims(d, d, d)), "more than 2 Mercure authorization details");
  }

  @Test
  void tooManyTopicsIsInvalid() {
    TokenVerifier small = verifier().maxTopicsPerDetail(2).build();

    assertInvalid(
        small,
        hs256(claims(detail("publish", exact("a"), exact("b"), exact("c")))),
        "more than 2 topics");
  }

  @Test
  void tooLongMatcherIsInvalid() {
    String longTopic = "urn:" + String.join("", Collections.nCopies(4093, "x"));

    assertInvalid(verifier, hs256(claims(detail("publish", exact(longTopic)))), "longer than 4096");
  }

  @Test
  void payloadComesFromTheFirstSubscribeDetailMatchingTheSubscription() throws Exception {
    Map<String, Object> first = detail("subscribe", urlpattern("https://example.com/books/*"));
    first.put("payload", Map.of("user", "first", "roles", List.of("reader")));
    Map<String, Object> second = detail("subscribe", exact("*"));
    second.put("payload", Map.of("user", "second"));
    Map<String, Object> publishOnly = detail("publish", exact("*"));
    publishOnly.put("payload", Map.of("user", "publisher"));

    Grants grants = grants(publishOnly, first, second);

    assertThat(grants.payloadFor(TopicMatcher.exact(BOOK)))
        .hasValue(Map.of("user", "first", "roles", List.of("reader")));
    assertThat(grants.payloadFor(TopicMatcher.exact("https://example.com/authors/1")))
        .hasValue(Map.of("user", "second"));
    assertThat(
            grants.payloadFor(TopicMatcher.of("urlpattern", "https://example.com/books/:id", null)))
        .hasValue(Map.of("user", "first", "roles", List.of("reader")));
  }

  @Test
  void payloadIsEmptyWhenTheFirstMatchingDetailHasNone() throws Exception {
    Map<String, Object> withPayload = detail("subscribe", exact("*"));
    withPayload.put("payload", Map.of("user", "later"));

    Grants grants = grants(detail("subscribe", exact(BOOK)), withPayload);

    assertThat(grants.payloadFor(TopicMatcher.exact(BOOK))).isEmpty();
    assertThat(grants.payloadFor(TopicMatcher.exact("urn:other")))
        .hasValue(Map.of("user", "later"));
  }
}
