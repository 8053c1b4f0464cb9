package dev.herald.hub.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.hub.mercure.TopicMatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Verifies the access tokens presented to the hub: OAuth 2.0 JWT access tokens (RFC 9068) in JWS
 * compact serialization, as the Mercure protocol's "Authorization" section requires, and turns
 * their Mercure authorization details into {@link Grants}.
 *
 * <p>A token is valid only if all of these hold, and each failure is a {@link TokenException} with
 * {@link TokenException.Error#INVALID_TOKEN}, whose message gives the reason but never the token:
 *
 * <ul>
 *   <li>it is three base64url parts, and its header's {@code typ} is {@code at+jwt} (with or
 *       without the {@code application/} prefix, in any case);
 *   <li>its {@code alg} is in the configured allowlist ({@code none} never is) and fits the key
 *       that verifies it: an HMAC secret verifies only {@code HS*}, an RSA key only {@code RS*} and
 *       {@code PS*}, an EC key only the {@code ES*} of its curve;
 *   <li>its {@code iss} is a configured issuer, and one of that issuer's keys (chosen by {@code
 *       kid} when keys have IDs) verifies the signature. Keys come from the configuration only: the
 *       {@code jwk}, {@code jku}, {@code x5u} and {@code x5c} header parameters are ignored;
 *   <li>{@code exp} is present and in the future, {@code nbf} if present in the past, both give or
 *       take the configured clock skew;
 *   <li>{@code aud} (a string or an array) contains the hub's resource identifier;
 *   <li>every authorization detail of the Mercure type is well formed and within the limits.
 * </ul>
 *
 * <p>It verifies the tokens of pre-1.0 Mercure clients too, <em>legacy</em> tokens, which deployed
 * publishers (Symfony's Mercure component, API Platform, Laravel's broadcaster) still mint: a token
 * typed {@code JWT}, or untyped, is one only if it carries the {@code mercure} claim ({@code
 * publish} and {@code subscribe} arrays of selectors — {@code *}, URI templates, exact topics — and
 * an optional {@code payload}), which alone grants its rights. Such a token may lack {@code exp}
 * (it then lasts as long as its key is trusted) and {@code aud}; one without {@code aud} is
 * verified only with the {@linkplain Builder#legacyKey(byte[]) legacy keys}, whatever its {@code
 * iss} says, because nothing else binds it to this hub: a legacy key is one the operator shares
 * with the applications that mint such tokens for this hub. One with {@code aud} must name the
 * resource and is verified with its issuer's keys (the legacy keys if it has no {@code iss}). Every
 * other check (alg, signature, {@code exp} and {@code nbf} when present, limits) is the same.
 * {@link Grants#isLegacy()} tells the two generations apart, so that a strict policy can refuse
 * legacy tokens ({@code TokenPolicy.Builder.strict}).
 *
 * <p>Example:
 *
 * <pre>{@code
 * TokenVerifier verifier = TokenVerifier.builder()
 *     .resource("https://example.com/.well-known/mercure")
 *     .hmacKey("https://auth.example.com", secret)
 *     .build();
 * Grants grants = verifier.verify(TokenVerifier.bearer(request.header("Authorization")));
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #verify} never blocks on the network: keys of JWK Set URLs
 * are fetched on the verifier's own daemon thread, which {@link #close()} stops.
 *
 * @since 0.1
 */
public final class TokenVerifier implements AutoCloseable {
  /** The signature algorithms Herald can verify. EdDSA is not among them: nimbus needs Tink. */
  public static final Set<String> SUPPORTED_ALGORITHMS =
      Set.of(
          "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
          "ES384", "ES512");

  /** The algorithms allowed unless {@link Builder#algorithms(Set)} says otherwise. */
  public static final Set<String> DEFAULT_ALGORITHMS =
      Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384");

  /** The default most Mercure authorization details a token may carry: {@value}. */
  public static final int DEFAULT_MAX_DETAILS = 100;

  /** The default most topics one authorization detail may list: {@value}. */
  public static final int DEFAULT_MAX_TOPICS_PER_DETAIL = 1000;

  /** The default longest topic matcher, in UTF-16 code units: {@value}. */
  public static final int DEFAULT_MAX_MATCH_LENGTH = 4096;

  /** The longest token accepted, in characters: {@value}. */
  public static final int MAX_TOKEN_LENGTH = 64 * 1024;

  /** The default shortest time between two refreshes of a JWK Set that a key ID miss causes. */
  public static final Duration DEFAULT_JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  private static final String AUTH_SCHEME = "Bearer";

  /** The claim of a pre-1.0 token's rights. */
  static final String LEGACY_CLAIM = "mercure";

  private final String resource;
  private final Map<String, IssuerKeys> issuers;
  private final IssuerKeys legacyKeys;
  private final List<RemoteJwks> remotes;
  private final ScheduledExecutorService refresher;
  private final Set<String> algorithms;
  private final Duration clockSkew;
  private final Clock clock;
  private final GrantsReader reader;

  private TokenVerifier(Builder b) {
    this.resource = b.resource;
    this.algorithms = Set.copyOf(b.algorithms);
    this.clockSkew = b.clockSkew;
    this.clock = b.clock;
    this.reader =
        new GrantsReader(
            b.hubUrl != null ? b.hubUrl : b.resource,
            b.maxDetails,
            b.maxTopicsPerDetail,
            b.maxMatchLength);
    this.refresher =
        b.urls.isEmpty()
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "herald-jwks-refresh");
                  thread.setDaemon(true);
                  return thread;
                });
    HttpClient client =
        b.urls.isEmpty()
            ? null
            : HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    Map<String, IssuerKeys> keys = new LinkedHashMap<>();
    List<RemoteJwks> all = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>(b.keys.keySet());
    names.addAll(b.urls.keySet());
    for (String issuer : names) {
      List<RemoteJwks> remotes = new ArrayList<>();
      for (Map.Entry<URI, Duration> url : b.urls.getOrDefault(issuer, Map.of()).entrySet()) {
        remotes.add(
            new RemoteJwks(
                url.getKey(), url.getValue(), b.jwksMinRefreshInterval, client, refresher, clock));
      }
      all.addAll(remotes);
      keys.put(issuer, new IssuerKeys(b.keys.getOrDefault(issuer, List.of()), remotes));
    }
    this.issuers = Map.copyOf(keys);
    this.legacyKeys = new IssuerKeys(b.legacyKeys, List.of());
    this.remotes = List.copyOf(all);
    remotes.forEach(RemoteJwks::start);
  }

  /** A builder; {@link Builder#resource(String)} and at least one key are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The token of an {@code Authorization} header value: the scheme {@code Bearer} (in any case),
   * one space, and a token68.
   *
   * @return the token, or {@code null} if {@code authorization} is null or of another scheme
   * @throws TokenException with {@link TokenException.Error#INVALID_REQUEST} if the scheme is
   *     {@code Bearer} but what follows is not one space and a token68
   */
  public static String bearer(String authorization) throws TokenException {
    if (authorization == null) {
      return null;
    }
    int space = authorization.indexOf(' ');
    String scheme = space < 0 ? authorization : authorization.substring(0, space);
    if (!scheme.equalsIgnoreCase(AUTH_SCHEME)) {
      return null;
    }
    String token = space < 0 ? "" : authorization.substring(space + 1);
    if (!isToken68(token)) {
      throw new TokenException(
          TokenException.Error.INVALID_REQUEST,
          "Authorization header: Bearer not followed by one space and a token68");
    }
    return token;
  }

  private static boolean isToken68(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    if (end == 0) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~+/".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Verifies {@code token} and returns its rights.
   *
   * @throws TokenException with {@link TokenException.Error#INVALID_TOKEN} if it is not valid
   */
  public Grants verify(String token) throws TokenException {
    String alg = checkFormat(token);
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw invalid("not a well-formed JWT");
    }
    boolean legacy = checkType(jwt.getHeader(), claims);
    checkSignature(jwt, alg, keysOf(claims, legacy));
    Instant expiresAt = checkTimes(claims, legacy);
    checkAudience(claims, legacy);
    return reader.read(claims, legacy, expiresAt);
  }

  /**
   * Completes once every JWK Set URL has been loaded once; at once if there is none. The hub may
   * wait for it at start-up, with a timeout.
   */
  public CompletableFuture<Void> keysLoaded() {
    return CompletableFuture.allOf(
        remotes.stream().map(RemoteJwks::loaded).toArray(CompletableFuture<?>[]::new));
  }

  /** Stops refreshing the JWK Sets of URLs; the keys already loaded stay in use. */
  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  List<RemoteJwks> remotes() {
    return remotes;
  }

  /** Checks the compact serialization and the header's alg, before any other parsing. */
  private String checkFormat(String token) throws TokenException {
    if (token == null || token.isEmpty()) {
      throw invalid("empty token");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw invalid("token longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw invalid("not a JWS in compact serialization: " + parts.length + " parts");
    }
    for (String part : parts) {
      if (part.isEmpty() || !part.chars().allMatch(TokenVerifier::isBase64Url)) {
        throw invalid("not a JWS in compact serialization: a part is empty or not base64url");
      }
    }
    Map<String, Object> header;
    try {
      header = JSONObjectUtils.parse(new Base64URL(parts[0]).decodeToString());
    } catch (ParseException e) {
      header = null;
    }
    if (header == null) { // the parser returns null for the JSON literal null
      throw invalid("the JOSE header is not a JSON object");
    }
    Object alg = header.get("alg");
    if (!(alg instanceof String)) {
      throw invalid("the JOSE header has no alg");
    }
    if (!algorithms.contains(alg)) {
      boolean known = SUPPORTED_ALGORITHMS.contains(alg) || "none".equals(alg);
      throw invalid("algorithm " + (known ? alg : "(unknown)") + " is not allowed");
    }
    return (String) alg;
  }

  private static boolean isBase64Url(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  /**
   * Checks typ; returns whether the token is a legacy one: typed {@code JWT} or untyped, with the
   * {@code mercure} claim.
   */
  private static boolean checkType(JWSHeader header, JWTClaimsSet claims) throws TokenException {
    String typ = header.getType() == null ? null : header.getType().getType();
    String type = typ == null ? null : typ.toLowerCase(Locale.ROOT);
    if (type != null && type.startsWith("application/")) {
      type = type.substring("application/".length());
    }
    if ("at+jwt".equals(type)) {
      return false;
    }
    if (type != null && !type.equals("jwt")) {
      throw invalid("typ is not at+jwt");
    }
    if (claims.getClaim(LEGACY_CLAIM) == null) {
      throw invalid("typ is not at+jwt, and a pre-1.0 token (typ JWT) has no mercure claim");
    }
    return true;
  }

  /**
   * The keys that may verify the token: a legacy token without {@code aud} only the legacy keys;
   * otherwise those of its issuer (a legacy token without {@code iss}: the legacy keys).
   */
  private IssuerKeys keysOf(JWTClaimsSet claims, boolean legacy) throws TokenException {
    String issuer = claims.getIssuer();
    if (legacy && (issuer == null || claims.getAudience().isEmpty())) {
      if (legacyKeys.isEmpty()) {
        throw invalid(
            "a pre-1.0 token without "
                + (issuer == null ? "iss" : "aud")
                + " needs a legacy key, and the hub has none");
      }
      return legacyKeys;
    }
    if (issuer == null) {
      throw invalid("no iss");
    }
    IssuerKeys keys = issuers.get(issuer);
    if (keys == null) {
      throw invalid("iss is not a trusted issuer");
    }
    return keys;
  }

  private static void checkSignature(SignedJWT jwt, String alg, IssuerKeys keys)
      throws TokenException {
    List<TrustedKey> candidates = keys.candidates(jwt.getHeader().getKeyID(), alg);
    if (candidates.isEmpty()) {
      throw invalid("unknown key: no key of the issuer fits the token's kid and " + alg);
    }
    for (TrustedKey key : candidates) {
      if (key.verifies(jwt)) {
        return;
      }
    }
    throw invalid("the signature does not verify");
  }

  private Instant checkTimes(JWTClaimsSet claims, boolean legacy) throws TokenException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null && !legacy) {
      throw invalid("no exp");
    }
    if (exp != null && !now.isBefore(exp.toInstant().plus(clockSkew))) {
      throw invalid("expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
      throw invalid("not valid before " + nbf.toInstant());
    }
    return exp == null ? null : exp.toInstant();
  }

  private void checkAudience(JWTClaimsSet claims, boolean legacy) throws TokenException {
    List<String> audience = claims.getAudience();
    if (audience.isEmpty() && legacy) {
      return;
    }
    if (!audience.contains(resource)) {
      throw invalid("aud does not contain this hub's resource identifier, " + resource);
    }
  }

  private static TokenException invalid(String reason) {
    return new TokenException(TokenException.Error.INVALID_TOKEN, reason);
  }

  /** Builds a {@link TokenVerifier}. Not thread-safe. */
  public static final class Builder {
    private String resource;
    private String hubUrl;
    private final Map<String, List<TrustedKey>> keys = new LinkedHashMap<>();
    private final Map<String, Map<URI, Duration>> urls = new LinkedHashMap<>();
    private final List<TrustedKey> legacyKeys = new ArrayList<>();
    private Set<String> algorithms = DEFAULT_ALGORITHMS;
    private Duration clockSkew = Duration.ZERO;
    private int maxDetails = DEFAULT_MAX_DETAILS;
    private int maxTopicsPerDetail = DEFAULT_MAX_TOPICS_PER_DETAIL;
    private int maxMatchLength = DEFAULT_MAX_MATCH_LENGTH;
    private Duration jwksMinRefreshInterval = DEFAULT_JWKS_MIN_REFRESH_INTERVAL;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The hub's resource identifier, which a token's {@code aud} must contain, for example {@code
     * https://example.com/.well-known/mercure}. Required.
     */
    public Builder resource(String resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * The hub's URL, against which relative URL patterns of authorization details resolve. Defaults
     * to the {@linkplain #resource(String) resource identifier}.
     */
    public Builder hubUrl(String hubUrl) {
      this.hubUrl = Objects.requireNonNull(hubUrl, "hubUrl");
      return this;
    }

    /**
     * Trusts {@code secret} for HMAC tokens of {@code issuer}.
     *
     * @throws IllegalArgumentException if the secret is shorter than 256 bits
     */
    public Builder hmacKey(String issuer, byte[] secret) {
      return add(issuer, TrustedKey.hmac(null, null, secret.clone()));
    }

    /**
     * Trusts an RSA (at least 2048 bits) or EC (P-256, P-384, P-521) public key for tokens of
     * {@code issuer}.
     *
     * @throws IllegalArgumentException if the key is of another kind
     */
    public Builder publicKey(String issuer, PublicKey key) {
      return add(issuer, TrustedKey.publicKey(null, null, Objects.requireNonNull(key, "key")));
    }

    /**
     * Trusts the keys of a JWK Set for tokens of {@code issuer}: public RSA and EC keys and
     * symmetric keys, selected by a token's {@code kid} when they have IDs. Keys for encryption and
     * of unsupported types are skipped.
     *
     * @throws IllegalArgumentException if {@code jwksJson} is not a JWK Set with a usable key
     */
    public Builder jwks(String issuer, String jwksJson) {
      Objects.requireNonNull(jwksJson, "jwksJson");
      JwkKeys.parse(jwksJson, "the JWK Set of " + issuer).forEach(key -> add(issuer, key));
      return this;
    }

    /**
     * Trusts the keys of the JWK Set in {@code file}, read now, as {@link #jwks(String, String)}.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public Builder jwksFile(String issuer, Path file) {
      try {
        String json = Files.readString(file);
        JwkKeys.parse(json, file.toString()).forEach(key -> add(issuer, key));
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the JWK Set " + file, e);
      }
    }

    /**
     * Trusts the keys of the JWK Set at {@code url} for tokens of {@code issuer}, fetched in the
     * background at once and then every {@code refresh}. Until the first fetch succeeds, tokens
     * that need these keys are invalid. {@code url} must be {@code https}, or {@code http} on a
     * loopback host.
     */
    public Builder jwksUrl(String issuer, URI url, Duration refresh) {
      Objects.requireNonNull(issuer, "issuer");
      boolean loopback =
          "http".equals(url.getScheme())
              && Set.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost());
      if (!"https".equals(url.getScheme()) && !loopback) {
        throw new IllegalArgumentException("url: not https (http only on a loopback host)");
      }
      if (refresh.isNegative() || refresh.isZero()) {
        throw new IllegalArgumentException("refresh: not positive: " + refresh);
      }
      urls.computeIfAbsent(issuer, i -> new LinkedHashMap<>()).put(url, refresh);
      return this;
    }

    /**
     * The shortest time between two JWK Set refreshes caused by tokens naming unknown key IDs.
     * Default {@link #DEFAULT_JWKS_MIN_REFRESH_INTERVAL}.
     */
    public Builder jwksMinRefreshInterval(Duration interval) {
      this.jwksMinRefreshInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * The signature algorithms allowed, among {@link #SUPPORTED_ALGORITHMS}. Default {@link
     * #DEFAULT_ALGORITHMS}.
     *
     * @throws IllegalArgumentException if one is not supported (such as {@code none}) or the set is
     *     empty
     */
    public Builder algorithms(Set<String> algorithms) {
      if (algorithms.isEmpty() || !SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
        throw new IllegalArgumentException(
            "algorithms: empty or not all among " + SUPPORTED_ALGORITHMS + ": " + algorithms);
      }
      this.algorithms = Set.copyOf(algorithms);
      return this;
    }

    /** How far {@code exp} and {@code nbf} may be off the clock. Default zero. */
    public Builder clockSkew(Duration clockSkew) {
      if (clockSkew.isNegative()) {
        throw new IllegalArgumentException("clockSkew: negative: " + clockSkew);
      }
      this.clockSkew = clockSkew;
      return this;
    }

    /**
     * Trusts {@code secret} for legacy tokens (pre-1.0, the {@code mercure} claim) without {@code
     * aud} or {@code iss}: the secret the hub shares with the applications that mint them
     * (Symfony's {@code MERCURE_JWT_SECRET}). Without a legacy key, such tokens are refused.
     *
     * @throws IllegalArgumentException if the secret is shorter than 256 bits
     */
    public Builder legacyKey(byte[] secret) {
      legacyKeys.add(TrustedKey.hmac(null, null, secret.clone()));
      return this;
    }

    /**
     * Trusts an RSA or EC public key for legacy tokens without {@code aud} or {@code iss}, as
     * {@link #legacyKey(byte[])}.
     */
    public Builder legacyPublicKey(PublicKey key) {
      legacyKeys.add(TrustedKey.publicKey(null, null, Objects.requireNonNull(key, "key")));
      return this;
    }

    /**
     * The most Mercure authorization details a token may carry. Default {@value
     * #DEFAULT_MAX_DETAILS}.
     */
    public Builder maxDetails(int maxDetails) {
      this.maxDetails = positive(maxDetails, "maxDetails");
      return this;
    }

    /**
     * The most topics one authorization detail (or one list of the legacy claim) may hold. Default
     * {@value #DEFAULT_MAX_TOPICS_PER_DETAIL}.
     */
    public Builder maxTopicsPerDetail(int maxTopicsPerDetail) {
      this.maxTopicsPerDetail = positive(maxTopicsPerDetail, "maxTopicsPerDetail");
      return this;
    }

    /**
     * The longest topic matcher, at most {@link TopicMatcher#MAX_LENGTH}. Default {@value
     * #DEFAULT_MAX_MATCH_LENGTH}.
     */
    public Builder maxMatchLength(int maxMatchLength) {
      if (maxMatchLength > TopicMatcher.MAX_LENGTH) {
        throw new IllegalArgumentException(
            "maxMatchLength: more than " + TopicMatcher.MAX_LENGTH + ": " + maxMatchLength);
      }
      this.maxMatchLength = positive(maxMatchLength, "maxMatchLength");
      return this;
    }

    /** The clock that {@code exp} and {@code nbf} are checked against; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The verifier. If a JWK Set URL is configured, its fetching starts now.
     *
     * @throws IllegalStateException if no resource or no key is configured
     */
    public TokenVerifier build() {
      if (resource == null) {
        throw new IllegalStateException("resource: not set");
      }
      if (keys.isEmpty() && urls.isEmpty() && legacyKeys.isEmpty()) {
        throw new IllegalStateException("no key configured");
      }
      return new TokenVerifier(this);
    }

    private Builder add(String issuer, TrustedKey key) {
      keys.computeIfAbsent(Objects.requireNonNull(issuer, "issuer"), i -> new ArrayList<>())
          .add(key);
      return this;
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + ": not positive: " + value);
      }
      return value;
    }
  }
}
