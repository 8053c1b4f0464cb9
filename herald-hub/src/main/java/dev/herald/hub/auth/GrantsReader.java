package dev.herald.hub.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.herald.hub.auth.Grants.Detail;
import dev.herald.hub.mercure.TopicMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the rights of verified claims, each generation from its own claim: an access token's from
 * RFC 9396 {@code authorization_details} of the Mercure type, a legacy token's from the pre-1.0
 * {@code mercure} claim alone. A malformed Mercure detail or legacy claim rejects the whole token;
 * details of other types grant nothing.
 */
final class GrantsReader {
  static final String MERCURE_TYPE = "https://mercure.rocks/authorization-detail";

  private final String hubUrl;
  private final int maxDetails;
  private final int maxTopicsPerDetail;
  private final int maxMatchLength;

  GrantsReader(String hubUrl, int maxDetails, int maxTopicsPerDetail, int maxMatchLength) {
    this.hubUrl = hubUrl;
    this.maxDetails = maxDetails;
    this.maxTopicsPerDetail = maxTopicsPerDetail;
    this.maxMatchLength = maxMatchLength;
  }

  Grants read(JWTClaimsSet claims, boolean legacy, Instant expiresAt) throws TokenException {
    List<Detail> details = legacy ? legacyClaim(claims) : authorizationDetails(claims);
    return new Grants(claims.getIssuer(), claims.getSubject(), expiresAt, details, legacy);
  }

  private List<Detail> authorizationDetails(JWTClaimsSet claims) throws TokenException {
    Object raw = claims.getClaim("authorization_details");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List)) {
      throw invalid("authorization_details is not an array");
    }
    List<Detail> details = new ArrayList<>();
    for (Object entry : (List<?>) raw) {
      if (!(entry instanceof Map)) {
        throw invalid("an authorization detail is not an object");
      }
      Map<?, ?> detail = (Map<?, ?>) entry;
      if (!(detail.get("type") instanceof String)) {
        throw invalid("an authorization detail has no type");
      }
      if (!MERCURE_TYPE.equals(detail.get("type"))) {
        continue;
      }
      if (details.size() == maxDetails) {
        throw invalid("more than " + maxDetails + " Mercure authorization details");
      }
      details.add(mercureDetail(detail));
    }
    return details;
  }

  private Detail mercureDetail(Map<?, ?> detail) throws TokenException {
    boolean publish = false;
    boolean subscribe = false;
    for (Object action : nonEmptyArray(detail.get("actions"), "actions")) {
      if (!(action instanceof String)) {
        throw invalid("a Mercure authorization detail has an action that is not a string");
      }
      publish |= action.equals("publish");
      subscribe |= action.equals("subscribe");
    }
    List<?> topics = nonEmptyArray(detail.get("topics"), "topics");
    if (topics.size() > maxTopicsPerDetail) {
      throw invalid(
          "a Mercure authorization detail has more than " + maxTopicsPerDetail + " topics");
    }
    List<Selector> selectors = new ArrayList<>(topics.size());
    for (Object topic : topics) {
      selectors.add(Selector.of(matcher(topic)));
    }
    return new Detail(publish, subscribe, List.copyOf(selectors), payload(detail.get("payload")));
  }

  private TopicMatcher matcher(Object topic) throws TokenException {
    if (!(topic instanceof Map)) {
      throw invalid("a Mercure authorization detail has a topic that is not an object");
    }
    Object match = ((Map<?, ?>) topic).get("match");
    Object type = ((Map<?, ?>) topic).get("match_type");
    if (type == null) {
      type = TopicMatcher.EXACT;
    }
    if (!(match instanceof String) || !(type instanceof String)) {
      throw invalid("a topic's match or match_type is missing or not a string");
    }
    if (!type.equals(TopicMatcher.EXACT) && !type.equals(TopicMatcher.URLPATTERN)) {
      throw invalid("a topic's match_type is not supported");
    }
    checkLength((String) match);
    try {
      return TopicMatcher.of((String) type, (String) match, hubUrl);
    } catch (IllegalArgumentException e) {
      // The message names the matcher type or the problem, never the token.
      throw invalid("invalid topic matcher: " + e.getMessage());
    }
  }

  private List<Detail> legacyClaim(JWTClaimsSet claims) throws TokenException {
    Object raw = claims.getClaim(TokenVerifier.LEGACY_CLAIM);
    if (!(raw instanceof Map)) {
      throw invalid("the mercure claim is not an object");
    }
    Map<?, ?> mercure = (Map<?, ?>) raw;
    return List.of(
        new Detail(true, false, legacySelectors(mercure.get("publish"), "publish"), null),
        new Detail(
            false,
            true,
            legacySelectors(mercure.get("subscribe"), "subscribe"),
            payload(mercure.get("payload"))));
  }

  private List<Selector> legacySelectors(Object raw, String name) throws TokenException {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List)) {
      throw invalid("mercure." + name + " is not an array");
    }
    List<?> list = (List<?>) raw;
    if (list.size() > maxTopicsPerDetail) {
      throw invalid("mercure." + name + " has more than " + maxTopicsPerDetail + " selectors");
    }
    List<Selector> selectors = new ArrayList<>(list.size());
    for (Object selector : list) {
      if (!(selector instanceof String)) {
        throw invalid("mercure." + name + " has a selector that is not a string");
      }
      checkLength((String) selector);
      selectors.add(Selector.legacy((String) selector));
    }
    return List.copyOf(selectors);
  }

  private void checkLength(String match) throws TokenException {
    if (match.length() > maxMatchLength) {
      throw invalid("a topic matcher is longer than " + maxMatchLength + " characters");
    }
  }

  private static List<?> nonEmptyArray(Object value, String name) throws TokenException {
    if (!(value instanceof List) || ((List<?>) value).isEmpty()) {
      throw invalid("a Mercure authorization detail's " + name + " is not a non-empty array");
    }
    return (List<?>) value;
  }

  private static Map<String, Object> payload(Object payload) throws TokenException {
    if (payload == null) {
      return null;
    }
    if (!(payload instanceof Map)) {
      throw invalid("a payload is not an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> frozen = (Map<String, Object>) freeze(payload);
    return frozen;
  }

  private static Object freeze(Object json) {
    if (json instanceof Map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<?, ?>) json).forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (json instanceof List) {
      List<Object> copy = new ArrayList<>();
      ((List<?>) json).forEach(v -> copy.add(freeze(v)));
      return Collections.unmodifiableList(copy);
    }
    return json;
  }

  private static TokenException invalid(String reason) {
    return new TokenException(TokenException.Error.INVALID_TOKEN, reason);
  }
}
