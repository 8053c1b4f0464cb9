package dev.herald.hub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.hub.mercure.TopicMatcher;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints access tokens the way {@link TokenVerifier} wants them, for {@code ./herald token} and the
 * hub's development mode: JWS compact serialization, header {@code typ: at+jwt}, claims {@code
 * iss}, {@code aud}, {@code sub}, {@code client_id} (the issuer), {@code iat}, {@code exp}, {@code
 * jti} and Mercure {@code authorization_details}: one detail for the publish matchers, one for the
 * subscribe matchers and their payload.
 *
 * <p>In compatibility mode it mints a legacy token instead: {@code typ: JWT} and the pre-1.0 {@code
 * mercure} claim, whose selectors are the matchers' values.
 *
 * <pre>{@code
 * String token = TokenMinter.builder()
 *     .hmacSecret(secret)
 *     .issuer("https://example.com")
 *     .audience("https://example.com/.well-known/mercure")
 *     .subscribe(TopicMatcher.of("urlpattern", "/books/*", hubUrl))
 *     .build()
 *     .mint();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TokenMinter {
  /** The default lifetime of a token: one hour. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;
  private final String keyId;
  private final String issuer;
  private final String audience;
  private final String subject;
  private final Duration ttl;
  private final List<TopicMatcher> publish;
  private final List<TopicMatcher> subscribe;
  private final Map<String, Object> payload;
  private final boolean compat;
  private final Clock clock;

  private TokenMinter(Builder b, JWSSigner signer, JWSAlgorithm algorithm) {
    this.signer = signer;
    this.algorithm = algorithm;
    this.keyId = b.keyId;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.subject = b.subject;
    this.ttl = b.ttl;
    this.publish = List.copyOf(b.publish);
    this.subscribe = List.copyOf(b.subscribe);
    this.payload = b.payload;
    this.compat = b.compat;
    this.clock = b.clock;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A new random HMAC secret for development mode: 32 random bytes, base64url without padding. Use
   * the UTF-8 bytes of the string as the secret (344 bits).
   */
  public static String generateHmacSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A new token, valid from now for the configured lifetime. */
  public String mint() {
    Instant now = clock.instant();
    JWSHeader header =
        new JWSHeader.Builder(algorithm)
            .type(compat ? JOSEObjectType.JWT : new JOSEObjectType("at+jwt"))
            .keyID(keyId)
            .build();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject(subject)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString());
    if (compat) {
      claims.claim("mercure", legacyClaim());
    } else {
      claims.claim("client_id", issuer).claim("authorization_details", details());
    }
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  private List<Object> details() {
    List<Object> details = new ArrayList<>();
    if (!publish.isEmpty()) {
      details.add(detail("publish", publish, null));
    }
    if (!subscribe.isEmpty()) {
      details.add(detail("subscribe", subscribe, payload));
    }
    return details;
  }

  private static Map<String, Object> detail(
      String action, List<TopicMatcher> matchers, Map<String, Object> payload) {
    List<Object> topics = new ArrayList<>();
    for (TopicMatcher matcher : matchers) {
      topics.add(Map.of("match", matcher.value(), "match_type", matcher.type()));
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("type", GrantsReader.MERCURE_TYPE);
    detail.put("actions", List.of(action));
    detail.put("topics", topics);
    if (payload != null) {
      detail.put("payload", payload);
    }
    return detail;
  }

  private Map<String, Object> legacyClaim() {
    Map<String, Object> mercure = new LinkedHashMap<>();
    mercure.put("publish", publish.stream().map(TopicMatcher::value).toList());
    mercure.put("subscribe", subscribe.stream().map(TopicMatcher::value).toList());
    if (payload != null) {
      mercure.put("payload", payload);
    }
    return mercure;
  }

  /** Builds a {@link TokenMinter}. Not thread-safe. */
  public static final class Builder {
    private byte[] hmacSecret;
    private PrivateKey privateKey;
    private String algorithm;
    private String keyId;
    private String issuer;
    private String audience;
    private String subject;
    private Duration ttl = DEFAULT_TTL;
    private final List<TopicMatcher> publish = new ArrayList<>();
    private final List<TopicMatcher> subscribe = new ArrayList<>();
    private Map<String, Object> payload;
    private boolean compat;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Signs with an HMAC secret of at least 256 bits; {@code HS256} unless {@link
     * #algorithm(String)} says otherwise.
     */
    public Builder hmacSecret(byte[] secret) {
      if (secret.length < TrustedKey.MIN_HMAC_BYTES) {
        throw new IllegalArgumentException(
            "secret: shorter than the minimum of 256 bits (32 bytes): " + secret.length * 8);
      }
      this.hmacSecret = secret.clone();
      this.privateKey = null;
      return this;
    }

    /**
     * Signs with an RSA or EC private key; {@code RS256}, or the {@code ES*} algorithm of the key's
     * curve, unless {@link #algorithm(String)} says otherwise.
     */
    public Builder privateKey(PrivateKey key) {
      this.privateKey = Objects.requireNonNull(key, "key");
      this.hmacSecret = null;
      return this;
    }

    /** The signature algorithm, which must fit the key. */
    public Builder algorithm(String algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /** The {@code kid} header parameter; none by default. */
    public Builder keyId(String keyId) {
      this.keyId = keyId;
      return this;
    }

    /** The {@code iss} and {@code client_id} claims; required unless in compatibility mode. */
    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    /**
     * The {@code aud} claim: the hub's resource identifier; required unless in compatibility mode.
     */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** The {@code sub} claim; none by default. */
    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /** The token's lifetime. Default {@link #DEFAULT_TTL}. */
    public Builder ttl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl: not positive: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** Grants publishing on the topics of {@code matchers}. */
    public Builder publish(TopicMatcher... matchers) {
      publish.addAll(List.of(matchers));
      return this;
    }

    /** Grants publishing on every topic ({@code *}). */
    public Builder publishAll() {
      return publish(TopicMatcher.exact(TopicMatcher.WILDCARD));
    }

    /** Grants receiving the private updates of the topics of {@code matchers}. */
    public Builder subscribe(TopicMatcher... matchers) {
      subscribe.addAll(List.of(matchers));
      return this;
    }

    /** Grants receiving every private update ({@code *}). */
    public Builder subscribeAll() {
      return subscribe(TopicMatcher.exact(TopicMatcher.WILDCARD));
    }

    /**
     * The payload of the subscribe detail, a JSON object as a map of strings, numbers, booleans,
     * lists and maps.
     */
    public Builder subscribePayload(Map<String, Object> payload) {
      this.payload = payload == null ? null : new LinkedHashMap<>(payload);
      return this;
    }

    /**
     * Whether to mint a legacy token for pre-1.0 Mercure hubs ({@code typ: JWT}, the {@code
     * mercure} claim). Only exact matchers (whose values may be RFC 6570 templates) and {@code *}
     * are allowed then. Default false.
     */
    public Builder compat(boolean compat) {
      this.compat = compat;
      return this;
    }

    /** The clock of {@code iat} and {@code exp}; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The minter.
     *
     * @throws IllegalStateException if no key, issuer or audience is set where required, or the
     *     algorithm does not fit the key, or a compatibility-mode matcher is a URL pattern
     */
    public TokenMinter build() {
      if (!compat && (issuer == null || audience == null)) {
        throw new IllegalStateException("issuer and audience: required unless in compat mode");
      }
      if (compat && publish.stream().anyMatch(m -> m.type().equals(TopicMatcher.URLPATTERN))
          || compat && subscribe.stream().anyMatch(m -> m.type().equals(TopicMatcher.URLPATTERN))) {
        throw new IllegalStateException("compat: the legacy claim has no URL patterns");
      }
      try {
        if (hmacSecret != null) {
          JWSAlgorithm alg = JWSAlgorithm.parse(algorithm == null ? "HS256" : algorithm);
          check(JWSAlgorithm.Family.HMAC_SHA.contains(alg), alg);
          return new TokenMinter(this, new MACSigner(hmacSecret), alg);
        }
        if (privateKey instanceof RSAPrivateKey) {
          JWSAlgorithm alg = JWSAlgorithm.parse(algorithm == null ? "RS256" : algorithm);
          check(JWSAlgorithm.Family.RSA.contains(alg), alg);
          return new TokenMinter(this, new RSASSASigner(privateKey), alg);
        }
        if (privateKey instanceof ECPrivateKey) {
          Curve curve = Curve.forECParameterSpec(((ECPrivateKey) privateKey).getParams());
          JWSAlgorithm alg = algorithm == null ? ecAlgorithm(curve) : JWSAlgorithm.parse(algorithm);
          check(
              Curve.forJWSAlgorithm(alg) != null && Curve.forJWSAlgorithm(alg).contains(curve),
              alg);
          return new TokenMinter(this, new ECDSASigner((ECPrivateKey) privateKey), alg);
        }
      } catch (JOSEException e) {
        throw new IllegalStateException("unusable key: " + e.getMessage(), e);
      }
      throw new IllegalStateException("key: no HMAC secret, RSA or EC private key set");
    }

    private static JWSAlgorithm ecAlgorithm(Curve curve) {
      if (Curve.P_384.equals(curve)) {
        return JWSAlgorithm.ES384;
      }
      return Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
    }

    private static void check(boolean fits, JWSAlgorithm alg) {
      if (!fits || !TokenVerifier.SUPPORTED_ALGORITHMS.contains(alg.getName())) {
        throw new IllegalStateException("algorithm: " + alg + " does not fit the key");
      }
    }
  }
}
