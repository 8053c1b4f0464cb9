package dev.herald.publisher;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints the JSON Web Tokens a Mercure hub asks of publishers and subscribers, signed with an HMAC
 * key the hub trusts. A token is an RFC 9068 access token as Mercure 1.0 and Herald's hub want it
 * (the claims Herald's {@code TokenMinter} writes): header {@code typ: at+jwt}, claims {@code iss},
 * {@code client_id} (the issuer), {@code aud} (the hub's URL), {@code sub} if given, {@code iat},
 * {@code exp}, {@code jti}, and one Mercure {@code authorization_details} entry granting {@code
 * publish} or {@code subscribe} on exact topics ({@code *}: every topic). With {@link
 * Builder#legacyClaim} it also carries the pre-1.0 {@code mercure} claim ({@code publish}, {@code
 * subscribe}, {@code payload}), which older hubs, such as the reference hub's 0.x releases, read.
 *
 * <pre>{@code
 * HubTokens tokens = HubTokens.builder()
 *     .hmacSecret(secret)
 *     .issuer("https://example.com")
 *     .audience("https://example.com/.well-known/mercure")
 *     .build();
 * String publisherToken = tokens.publisher();
 * String aliceToken = tokens.subscriber(List.of("https://example.com/users/alice"), Map.of());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class HubTokens {
  /** The default lifetime of a token: one hour. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** The smallest HMAC key: 256 bits, as HS256 requires. */
  public static final int MIN_SECRET_BYTES = 32;

  /** The type of a Mercure authorization detail. */
  static final String MERCURE_DETAIL = "https://mercure.rocks/authorization-detail";

  /** The topic that stands for every topic. */
  public static final String ALL_TOPICS = "*";

  private final MACSigner signer;
  private final String issuer;
  private final String audience;
  private final Duration ttl;
  private final boolean legacyClaim;
  private final Clock clock;

  private HubTokens(Builder b) {
    try {
      this.signer = new MACSigner(b.secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("secret: " + e.getMessage(), e);
    }
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.ttl = b.ttl;
    this.legacyClaim = b.legacyClaim;
    this.clock = b.clock;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A token that may publish to every topic. */
  public String publisher() {
    return publisher(List.of(ALL_TOPICS));
  }

  /** A token that may publish to {@code topics} ({@code *}: every topic). */
  public String publisher(Collection<String> topics) {
    return mint("publish", topics, null, null);
  }

  /**
   * A token that may receive the private updates of {@code topics} ({@code *}: every topic), with
   * no payload and no subject.
   */
  public String subscriber(Collection<String> topics) {
    return subscriber(topics, null, null);
  }

  /**
   * A token that may receive the private updates of {@code topics}, naming {@code subject} (the
   * user; {@code null} for none) and carrying {@code payload} (which the hub shows in subscription
   * events; {@code null} for none).
   */
  public String subscriber(Collection<String> topics, String subject, Map<String, ?> payload) {
    return mint("subscribe", topics, subject, payload);
  }

  private String mint(
      String action, Collection<String> topics, String subject, Map<String, ?> payload) {
    List<String> granted = checkTopics(topics);
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject(subject)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim("client_id", issuer)
            .claim("authorization_details", List.of(detail(action, granted, payload)));
    if (legacyClaim) {
      Map<String, Object> mercure = new LinkedHashMap<>();
      mercure.put(action, granted);
      if (payload != null) {
        mercure.put("payload", payload);
      }
      claims.claim("mercure", mercure);
    }
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  private static Map<String, Object> detail(
      String action, List<String> topics, Map<String, ?> payload) {
    List<Object> matchers = new ArrayList<>();
    for (String topic : topics) {
      matchers.add(Map.of("match", topic, "match_type", "exact"));
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("type", MERCURE_DETAIL);
    detail.put("actions", List.of(action));
    detail.put("topics", matchers);
    if (payload != null) {
      detail.put("payload", payload);
    }
    return detail;
  }

  private static List<String> checkTopics(Collection<String> topics) {
    List<String> list = List.copyOf(topics);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("topics: none; \"*\" stands for every topic");
    }
    if (list.size() > Publication.MAX_TOPICS) {
      throw new IllegalArgumentException("topics: more than " + Publication.MAX_TOPICS);
    }
    for (String topic : list) {
      if (topic.isEmpty()) {
        throw new IllegalArgumentException("topics: an empty topic");
      }
    }
    return list;
  }

  /** Builds {@link HubTokens}. Not thread-safe. */
  public static final class Builder {
    private byte[] secret;
    private String issuer;
    private String audience;
    private Duration ttl = DEFAULT_TTL;
    private boolean legacyClaim;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The HMAC key the hub verifies tokens with (HS256).
     *
     * @throws IllegalArgumentException if shorter than {@link #MIN_SECRET_BYTES}
     */
    public Builder hmacSecret(byte[] secret) {
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "secret: shorter than the minimum of 256 bits (32 bytes): " + secret.length * 8);
      }
      this.secret = secret.clone();
      return this;
    }

    /** The {@code iss} (and {@code client_id}) claim: an issuer the hub trusts; required. */
    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /** The {@code aud} claim: the hub's resource identifier, usually its URL; required. */
    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience");
      return this;
    }

    /**
     * How long a token is valid ({@link #DEFAULT_TTL} by default).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder ttl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl: not positive: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** Whether tokens also carry the pre-1.0 {@code mercure} claim (default {@code false}). */
    public Builder legacyClaim(boolean legacyClaim) {
      this.legacyClaim = legacyClaim;
      return this;
    }

    /** The clock of {@code iat} and {@code exp} (for tests; default the system's). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The minter.
     *
     * @throws IllegalStateException if the secret, issuer or audience is missing
     */
    public HubTokens build() {
      if (secret == null || issuer == null || audience == null) {
        throw new IllegalStateException("hmacSecret, issuer and audience are required");
      }
      return new HubTokens(this);
    }
  }
}
