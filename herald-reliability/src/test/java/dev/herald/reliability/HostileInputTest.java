package dev.herald.reliability;

import static dev.herald.reliability.Jwts.claims;
import static dev.herald.reliability.Jwts.grant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input catalogue: forged and broken tokens, oversized requests, invalid UTF-8 and
 * request-smuggling shapes, sent as raw bytes to one hub (HS256 keys, no anonymous access, debug
 * log) in a child JVM. Each row is a named case and the status HTTP and the Mercure protocol call
 * for; after each, the hub answers {@code /healthz}, and the connection carried one response only
 * (no smuggled request answered). At the end: private updates reach only the granted, live and on
 * replay; a real subscribe and publish still work; and no token presented here is in the hub's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  static final String PATH = "/.well-known/mercure";
  static final String TOPIC = "https://example.com/books/1";
  static final String BODY = "topic=" + enc(TOPIC) + "&data=hostile";

  HubProcess hub;
  String aud;
  final Set<String> presented = Collections.synchronizedSet(new LinkedHashSet<>());
  final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hub =
        HubProcess.builder(dir)
            .option("--hmac-issuer=" + Jwts.ISSUER)
            .option("--hmac-secret=" + Jwts.SECRET)
            .start();
    aud = hub.url();
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  /** One row of the catalogue: what is sent, and the status that must come back. */
  record Case(String group, int expected, Supplier<byte[]> request, boolean mustClose) {}

  Stream<Arguments> catalogue() {
    return Stream.of(
        // --- access tokens: every forgery is 401 invalid_token, a bad presentation 400 ---
        row("token", "publish without any token", 401, () -> publish(List.of(), BODY)),
        row("token", "expired an hour ago", 401, () -> publishAs(tok(valid(-3600)), BODY)),
        row("token", "not valid before an hour from now", 401, () -> publishAs(notYet(), BODY)),
        row("token", "without exp", 401, () -> publishAs(withoutExp(), BODY)),
        row("token", "alg none, empty signature", 401, () -> publishAs(algNone(""), BODY)),
        row(
            "token",
            "alg none, a real token's signature",
            401,
            () -> publishAs(algNoneSig(), BODY)),
        row(
            "token",
            "alg confusion: header RS256, HMAC signature with the hub's secret",
            401,
            () -> publishAs(tok(Jwts.rs256HeaderHmacSignature(publishAll())), BODY)),
        row(
            "token",
            "alg confusion: HS256 keyed with an RSA public key",
            401,
            () -> publishAs(tok(Jwts.hs256KeyedWithPublicKey(publishAll())), BODY)),
        row(
            "token",
            "signed by a foreign HMAC key",
            401,
            () ->
                publishAs(
                    tok(Jwts.hs256(publishAll(), "another-secret-of-at-least-32-bytes!", "at+jwt")),
                    BODY)),
        row(
            "token",
            "RS256 by the attacker's key",
            401,
            () -> publishAs(tok(Jwts.attackerRs256(publishAll(), false)), BODY)),
        row(
            "token",
            "RS256 by the attacker's key, embedded as a jwk header",
            401,
            () -> publishAs(tok(Jwts.attackerRs256(publishAll(), true)), BODY)),
        row(
            "token",
            "another issuer",
            401,
            () -> publishAs(withClaim("iss", "https://evil"), BODY)),
        row(
            "token",
            "another audience",
            401,
            () -> publishAs(withClaim("aud", "https://other.hub/.well-known/mercure"), BODY)),
        row(
            "token",
            "typ JWT, not at+jwt",
            401,
            () -> publishAs(tok(Jwts.hs256(publishAll(), Jwts.SECRET, "JWT")), BODY)),
        row(
            "token",
            "malformed: a JOSE header that is JSON null (a fuzzing finding)",
            401,
            () -> publishAs(tok("bnVsbA.eyJhIjoxfQ.c2lnbmF0dXJl"), BODY)),
        row("token", "malformed: two dots only", 401, () -> publishAs(tok(".."), BODY)),
        row("token", "malformed: one dot", 401, () -> publishAs(tok("abc.def"), BODY)),
        row("token", "malformed: four parts", 401, () -> publishAs(tok("a.b.c.d"), BODY)),
        row("token", "malformed: base64 + and /", 401, () -> publishAs(tok("ab+c.de/f.ghi"), BODY)),
        row(
            "token",
            "malformed: header not JSON",
            401,
            () -> publishAs(tok("bm90IGpzb24." + validPublisher().split("\\.", 2)[1]), BODY)),
        row("token", "malformed: 12,000 characters", 401, () -> publishAs(tok(huge(12_000)), BODY)),
        row(
            "token",
            "malformed: 20,000 characters, past the header limit",
            431,
            () -> publishAs(tok(huge(20_000)), BODY)),
        row(
            "token",
            "Bearer and no token",
            400,
            () -> publish(List.of("Authorization: Bearer"), BODY)),
        row(
            "token",
            "Bearer and two spaces",
            400,
            () -> publish(List.of("Authorization: Bearer  " + tok(validPublisher())), BODY)),
        row(
            "token",
            "Bearer and a non-token68 character",
            400,
            () -> publish(List.of("Authorization: Bearer a,b.c"), BODY)),
        row(
            "token",
            "expired token in the cookie",
            401,
            () ->
                publish(
                    List.of(
                        "Cookie: __Secure-mercure_access_token=" + tok(valid(-3600)),
                        "Origin: " + hub.base()),
                    BODY)),
        row(
            "token",
            "a subscribe-only token publishing",
            403,
            () -> publishAs(tok(Jwts.valid(claims(aud, 600, grant("subscribe", "*")))), BODY)),
        row(
            "token",
            "a publisher of another topic",
            403,
            () ->
                publishAs(
                    tok(Jwts.valid(claims(aud, 600, grant("publish", "https://example.com/x")))),
                    BODY)),
        row("token", "subscribe without any token", 401, () -> subscribe("match=*", List.of())),
        row(
            "token",
            "subscribe with an expired token",
            401,
            () -> subscribe("match=*", List.of("Authorization: Bearer " + tok(valid(-3600))))),
        row(
            "token",
            "subscribe with alg none",
            401,
            () -> subscribe("match=*", List.of("Authorization: Bearer " + algNone("")))),
        // --- sizes: the server's limits, named statuses ---
        row("size", "request line of 9,000 bytes", 414, () -> subscribe(longQuery(9_000), auth())),
        row(
            "size",
            "header block of 17 KiB in small headers",
            431,
            () -> publishAs(validPublisher(), BODY, manyHeaders(17 * 1024))),
        row(
            "size",
            "one header of 20 KiB",
            431,
            () -> publishAs(validPublisher(), BODY, List.of("X-Big: " + "a".repeat(20_000)))),
        row(
            "size",
            "body of 1 MiB + 1 byte, Content-Length",
            413,
            () -> publishAs(validPublisher(), "topic=x&data=" + "a".repeat((1 << 20) - 12))),
        row("size", "chunked body over 1 MiB", 413, this::chunkedOverLimit),
        row(
            "size",
            "1,001 topics in one update",
            413,
            () -> publishAs(validPublisher(), "topic=t&".repeat(1_001) + "data=x")),
        row(
            "size",
            "101 topic matchers",
            400,
            () -> subscribe("match=t&".repeat(101).substring(0, 101 * 8 - 1), auth())),
        row(
            "size",
            "a URL pattern of 5,000 characters",
            400,
            () ->
                subscribe(
                    "match_urlpattern=" + enc("https://example.com/" + "a".repeat(5_000)), auth())),
        // --- invalid UTF-8: 400, never U+FFFD silently ---
        row("utf-8", "query %FF", 400, () -> subscribe("match=%FF", auth())),
        row("utf-8", "query raw byte 0xFF", 400, () -> subscribe("match=\u00ff", auth())),
        row("utf-8", "query overlong %C0%AF", 400, () -> subscribe("match=%C0%AF", auth())),
        row("utf-8", "query surrogate %ED%A0%80", 400, () -> subscribe("match=%ED%A0%80", auth())),
        row(
            "utf-8",
            "form body topic %C3%28",
            400,
            () -> publishAs(validPublisher(), "topic=%C3%28&data=x")),
        row(
            "utf-8",
            "form body data raw bytes 0xFE 0xFF",
            400,
            () -> publishAs(validPublisher(), "topic=t&data=\u00fe\u00ff")),
        row(
            "utf-8",
            "Authorization with a raw 0xFF",
            400,
            () -> publish(List.of("Authorization: Bearer \u00ff\u00ff"), BODY)),
        row(
            "utf-8",
            "an unrelated header with raw 0xFF: ignored",
            200,
            () -> publishAs(validPublisher(), BODY, List.of("X-Junk: \u00c3\u0028\u00ff"))),
        row(
            "utf-8",
            "Last-Event-ID with raw 0xFF: an unknown ID, resumes from earliest",
            200,
            () -> subscribe("match=*", with(auth(), "Last-Event-ID: \u00ff\u00fe"))),
        row(
            "utf-8",
            "a header name with raw 0xFF",
            400,
            () -> publishAs(validPublisher(), BODY, List.of("X-\u00ff: 1"))),
        // --- request smuggling: one request, one answer, 400 ---
        row("smuggling", "Content-Length and Transfer-Encoding", 400, this::clAndTe),
        row("smuggling", "two different Content-Lengths", 400, this::twoContentLengths),
        // RFC 9112 5.2 lets a server replace obs-fold with SP: the folded line is no header
        row(
            "smuggling",
            "obs-fold hiding a Transfer-Encoding: folded, framed by length",
            200,
            this::obsFold),
        row("smuggling", "Transfer-Encoding: xchunked", 400, () -> te("xchunked")),
        row(
            "smuggling",
            "Transfer-Encoding: chunked, identity",
            400,
            () -> te("chunked, identity")),
        row("smuggling", "whitespace before the colon", 400, this::spaceBeforeColon),
        row("smuggling", "Content-Length: -1", 400, () -> withLength("-1")),
        row("smuggling", "Content-Length: +5", 400, () -> withLength("+5")),
        row(
            "smuggling",
            "NUL in a header value",
            400,
            () -> publishAs(validPublisher(), BODY, List.of("X-Nul: a\u0000b"))),
        // a chunked body whose framing breaks: where the message ends is in doubt (RFC 9112 7.1)
        row("smuggling", "chunk size not hex", 400, () -> chunked("zz\r\nabc\r\n0\r\n\r\n")),
        row(
            "smuggling",
            "chunk size overflowing a long",
            400,
            () -> chunked("fffffffffffffffff1\r\nabc\r\n0\r\n\r\n")),
        row(
            "smuggling",
            "a good chunk, then a chunk size not hex",
            400,
            () -> chunked(goodChunk() + "zz\r\nabc\r\n0\r\n\r\n")),
        row(
            "smuggling",
            "a chunk longer than its size",
            400,
            () -> chunked(goodChunk().substring(0, goodChunk().length() - 2) + "XX\r\n0\r\n\r\n")),
        row(
            "smuggling",
            "a good chunk, then no CRLF after a chunk",
            400,
            () -> chunked(goodChunk() + "3\r\nabc0\r\n\r\n")),
        row(
            "smuggling",
            "a good chunk, then a trailer without a colon",
            400,
            () -> chunked(goodChunk() + "0\r\nBad Trailer\r\n\r\n")));
  }

  static String goodChunk() {
    return Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n";
  }

  static Arguments row(String group, String name, int expected, Supplier<byte[]> request) {
    // RFC 9112: after a message whose framing is in doubt, the server must close the connection
    boolean mustClose = group.equals("smuggling") && expected >= 400;
    return Arguments.of(
        Named.of(group + ": " + name, new Case(group, expected, request, mustClose)));
  }

  @ParameterizedTest(name = "{0} -> {index}")
  @MethodSource("catalogue")
  @Order(1)
  @DisplayName("hostile input gets its status, one answer per connection, and the hub stays up")
  void hostileInput(Case c) throws Exception {
    RawHttp.Exchange exchange = RawHttp.send(hub.port(), c.request().get());
    outcomes.add(c.group() + " " + exchange.status());
    assertThat(exchange.statuses())
        .as("one answer, and no smuggled one: %s", exchange.text())
        .hasSize(1);
    assertThat(exchange.status()).as(exchange.text()).isEqualTo(c.expected());
    if (c.mustClose()) {
      assertThat(exchange.closed()).as("the connection closed after a malformed message").isTrue();
    }
    assertThat(healthz()).as("the hub after this case").isEqualTo(200);
  }

  // ---------------------------------------------------------------------------------------------
  // requests

  byte[] publish(List<String> headers, String body) {
    byte[] bytes = RawHttp.latin1(body);
    List<String> all = new ArrayList<>(headers);
    all.add(0, "Host: 127.0.0.1:" + hub.port());
    all.add("Content-Type: application/x-www-form-urlencoded");
    all.add("Content-Length: " + bytes.length);
    all.add("Connection: close");
    return RawHttp.request("POST " + PATH + " HTTP/1.1", all, bytes);
  }

  byte[] publishAs(String token, String body) {
    return publishAs(token, body, List.of());
  }

  byte[] publishAs(String token, String body, List<String> more) {
    List<String> headers = new ArrayList<>(more);
    headers.add("Authorization: Bearer " + tok(token));
    return publish(headers, body);
  }

  byte[] subscribe(String query, List<String> headers) {
    List<String> all = new ArrayList<>(headers);
    all.add(0, "Host: 127.0.0.1:" + hub.port());
    all.add("Accept: text/event-stream");
    all.add("Connection: close");
    return RawHttp.request("GET " + PATH + "?" + query + " HTTP/1.1", all, new byte[0]);
  }

  /** A request with framing headers of its own, followed by a smuggled GET /healthz. */
  byte[] framed(List<String> framing, String body) {
    List<String> headers = new ArrayList<>();
    headers.add("Host: 127.0.0.1:" + hub.port());
    headers.add("Authorization: Bearer " + tok(validPublisher()));
    headers.add("Content-Type: application/x-www-form-urlencoded");
    headers.addAll(framing);
    String smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    return RawHttp.request("POST " + PATH + " HTTP/1.1", headers, RawHttp.latin1(body + smuggled));
  }

  byte[] clAndTe() {
    String chunk = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";
    return framed(List.of("Content-Length: 4", "Transfer-Encoding: chunked"), chunk);
  }

  byte[] twoContentLengths() {
    return framed(
        List.of("Content-Length: " + BODY.length(), "Content-Length: " + (BODY.length() + 44)),
        BODY);
  }

  byte[] obsFold() {
    return publish(
        List.of(
            "Authorization: Bearer " + tok(validPublisher()),
            "X-Folded: a",
            " Transfer-Encoding: chunked"),
        BODY);
  }

  byte[] chunked(String body) {
    return framed(List.of("Transfer-Encoding: chunked"), body);
  }

  byte[] te(String value) {
    String chunk = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";
    return framed(List.of("Transfer-Encoding: " + value), chunk);
  }

  byte[] spaceBeforeColon() {
    String chunk = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";
    return framed(
        List.of("Content-Length: " + BODY.length(), "Transfer-Encoding : chunked"), chunk);
  }

  byte[] withLength(String value) {
    return framed(List.of("Content-Length: " + value), BODY);
  }

  byte[] chunkedOverLimit() {
    StringBuilder body = new StringBuilder();
    String piece = "a".repeat(64 * 1024);
    body.append("topic=x&data=");
    String first = body.toString();
    StringBuilder chunks = new StringBuilder();
    chunks.append(Integer.toHexString(first.length())).append("\r\n").append(first).append("\r\n");
    for (int i = 0; i < 17; i++) {
      chunks
          .append(Integer.toHexString(piece.length()))
          .append("\r\n")
          .append(piece)
          .append("\r\n");
    }
    chunks.append("0\r\n\r\n");
    List<String> headers = new ArrayList<>();
    headers.add("Host: 127.0.0.1:" + hub.port());
    headers.add("Authorization: Bearer " + tok(validPublisher()));
    headers.add("Content-Type: application/x-www-form-urlencoded");
    headers.add("Transfer-Encoding: chunked");
    headers.add("Connection: close");
    return RawHttp.request(
        "POST " + PATH + " HTTP/1.1", headers, RawHttp.latin1(chunks.toString()));
  }

  static List<String> manyHeaders(int bytes) {
    List<String> headers = new ArrayList<>();
    for (int i = 0; i * 100 < bytes; i++) {
      headers.add("X-Filler-" + i + ": " + "b".repeat(86));
    }
    return headers;
  }

  static String longQuery(int length) {
    return "match=" + "a".repeat(length);
  }

  static List<String> with(List<String> headers, String more) {
    List<String> all = new ArrayList<>(headers);
    all.add(more);
    return all;
  }

  static String huge(int length) {
    StringBuilder s = new StringBuilder("eyJ");
    while (s.length() < length - 2) {
      s.append("Aa.");
    }
    return s.substring(0, length - 2) + "x";
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------
  // tokens (every one presented is remembered, for the log check)

  String tok(String token) {
    presented.add(token);
    return token;
  }

  Map<String, Object> publishAll() {
    return claims(aud, 600, grant("publish", "*"));
  }

  Map<String, Object> valid(long ttlSeconds) {
    return claims(aud, ttlSeconds, grant("publish", "*"), grant("subscribe", "*"));
  }

  String tok(Map<String, Object> claims) {
    return tok(Jwts.valid(claims));
  }

  String validPublisher() {
    return tok(Jwts.valid(publishAll()));
  }

  List<String> auth() {
    return List.of(
        "Authorization: Bearer " + tok(Jwts.valid(claims(aud, 600, grant("subscribe", "*")))));
  }

  String notYet() {
    Map<String, Object> c = new java.util.HashMap<>(publishAll());
    c.put("nbf", System.currentTimeMillis() / 1000 + 3600);
    return tok(Jwts.valid(c));
  }

  String withoutExp() {
    Map<String, Object> c = new java.util.HashMap<>(publishAll());
    c.remove("exp");
    return tok(Jwts.valid(c));
  }

  String withClaim(String name, String value) {
    Map<String, Object> c = new java.util.HashMap<>(publishAll());
    c.put(name, value);
    return tok(Jwts.valid(c));
  }

  String algNone(String signature) {
    return tok(Jwts.unsigned(publishAll(), signature));
  }

  String algNoneSig() {
    String real = validPublisher();
    return algNone(real.substring(real.lastIndexOf('.') + 1));
  }

  // ---------------------------------------------------------------------------------------------
  // after the catalogue

  int healthz() throws Exception {
    return RawHttp.send(
            hub.port(),
            RawHttp.request(
                "GET /healthz HTTP/1.1",
                List.of("Host: 127.0.0.1", "Connection: close"),
                new byte[0]))
        .status();
  }

  @Test
  @Order(2)
  @DisplayName("private updates reach only subscribers granted their topic, live and on replay")
  void privateUpdatesNeverLeak() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String open = "https://example.com/open";
    String secret = "https://example.com/secret";
    String granted = tok(Jwts.valid(claims(aud, 600, grant("subscribe", open, secret))));
    String denied = tok(Jwts.valid(claims(aud, 600, grant("subscribe", open))));
    String before = publishOk(http, open, "before", false);
    try (Subscription allowed = subscribeAll(http, granted, null);
        Subscription refused = subscribeAll(http, denied, null)) {
      List<String> sent = publishMix(http, open, secret);
      assertThat(datas(allowed, sent.size())).containsExactlyElementsOf(sent);
      assertThat(datas(refused, 2)).containsExactly("public-1", "public-2");
    }
    int replays = 0;
    for (String lastEventId : List.of(before, "earliest")) {
      try (Subscription allowed = subscribeAll(http, granted, lastEventId);
          Subscription refused = subscribeAll(http, denied, lastEventId)) {
        assertThat(until(allowed, "public-2"))
            .containsSubsequence("public-1", "private-1", "private-2", "public-2")
            .filteredOn(d -> !d.equals("hostile"))
            .doesNotHaveDuplicates();
        assertThat(until(refused, "public-2"))
            .containsSubsequence("public-1", "public-2")
            .noneMatch(d -> d.startsWith("private"))
            .filteredOn(d -> !d.equals("hostile"))
            .doesNotHaveDuplicates();
        assertThat(refused.next(Duration.ofMillis(300))).as("nothing more").isNull();
        replays++;
      }
    }
    Figures.print(
        "private-updates",
        "2 private of 4 updates; the granted subscriber got 4 live and on %d replays, the other 2"
            + " public only, 0 private leaked",
        replays);
  }

  private List<String> publishMix(HttpClient http, String open, String secret) throws Exception {
    publishOk(http, open, "public-1", false);
    publishOk(http, secret, "private-1", true);
    publishOk(http, secret, "private-2", true); // not granted for the other either way
    publishOk(http, open, "public-2", false);
    return List.of("public-1", "private-1", "private-2", "public-2");
  }

  private Subscription subscribeAll(HttpClient http, String token, String lastEventId)
      throws Exception {
    List<String> headers = new ArrayList<>(List.of("Authorization", "Bearer " + token));
    if (lastEventId != null) {
      headers.addAll(List.of("Last-Event-ID", lastEventId));
    }
    Subscription s =
        Subscription.open(http, hub.base() + PATH + "?match=*", headers.toArray(new String[0]));
    assertThat(s.status()).isEqualTo(200);
    return s;
  }

  /** The data of the events up to and including the one whose data is {@code last}. */
  private static List<String> until(Subscription s, String last) throws InterruptedException {
    List<String> out = new ArrayList<>();
    while (out.isEmpty() || !out.get(out.size() - 1).equals(last)) {
      SseEvent e = s.next(Duration.ofSeconds(10));
      assertThat(e).as("an event after %s", out).isNotNull();
      out.add(e.data());
    }
    return out;
  }

  private static List<String> datas(Subscription s, int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SseEvent e = s.next(Duration.ofSeconds(10));
      assertThat(e).as("event %d of %d (got %s)", i + 1, n, out).isNotNull();
      out.add(e.data());
    }
    return out;
  }

  private String publishOk(HttpClient http, String topic, String data, boolean isPrivate)
      throws Exception {
    String body = "topic=" + enc(topic) + "&data=" + data + (isPrivate ? "&private=on" : "");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(hub.base() + PATH))
                .header("Authorization", "Bearer " + validPublisher())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  @Test
  @Order(3)
  @DisplayName(
      "after it all: healthy, a real subscribe and publish round trip, no token in the log")
  void stillServingAndNoTokenInTheLog() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThat(healthz()).isEqualTo(200);
    String reader = tok(Jwts.valid(claims(aud, 600, grant("subscribe", "*"))));
    try (Subscription sub =
        Subscription.open(
            http,
            hub.base() + PATH + "?match=" + enc(TOPIC),
            "Authorization",
            "Bearer " + reader)) {
      assertThat(sub.status()).isEqualTo(200);
      publishOk(http, TOPIC, "round-trip", false);
      SseEvent e = sub.next(Duration.ofSeconds(10));
      assertThat(e).isNotNull();
      assertThat(e.data()).isEqualTo("round-trip");
    }
    String log = hub.output();
    List<String> leaked = new ArrayList<>();
    synchronized (presented) {
      for (String token : presented) {
        String signature = token.substring(token.lastIndexOf('.') + 1);
        if (log.contains(token) || (signature.length() >= 16 && log.contains(signature))) {
          leaked.add(token.length() > 40 ? token.substring(0, 40) + "…" : token);
        }
      }
    }
    long debugLines = log.lines().filter(l -> l.contains(" DEBUG ")).count();
    Figures.print(
        "hostile-input",
        "%d hostile requests (%s), 0 5xx, hub healthy after each; %d distinct tokens presented,"
            + " %d found in %,d lines of debug log",
        outcomes.size(),
        summary(),
        presented.size(),
        leaked.size(),
        log.lines().count());
    assertThat(leaked).as("tokens in the hub's log").isEmpty();
    assertThat(debugLines).as("the hub logged at debug level").isPositive();
    assertThat(log).as("refusals are logged, without the token").contains("token refused");
    assertThat(outcomes).noneMatch(o -> o.endsWith(" 5") || o.matches(".* 5\\d\\d"));
    assertThat(log).doesNotContain("LEAK:").doesNotContain("Exception in thread");
  }

  private String summary() {
    Map<String, Integer> perGroup = new java.util.LinkedHashMap<>();
    synchronized (outcomes) {
      for (String o : outcomes) {
        perGroup.merge(o.substring(0, o.indexOf(' ')), 1, Integer::sum);
      }
    }
    StringBuilder s = new StringBuilder();
    perGroup.forEach(
        (g, n) -> s.append(s.length() == 0 ? "" : ", ").append(n).append(' ').append(g));
    return s.toString();
  }
}
