package dev.herald.testing.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Publishes to and subscribes at a hub's URL with the JDK HttpClient: what the browser tests need
 * besides the browser (a copy, reduced, of herald-hub's test client).
 */
final class HubClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String hubUrl;

  HubClient(String hubUrl) {
    this.hubUrl = hubUrl;
  }

  /** Form-encodes name/value pairs: {@code form("topic", "a", "data", "x")}. */
  static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8));
      if (pairs[i + 1] != null) {
        out.append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
      }
    }
    return out.toString();
  }

  /** POSTs {@code body}, form-encoded, to the hub; {@code headers} are name/value pairs. */
  HttpResponse<String> publish(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hubUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens {@code GET hubUrl?query}; the stream stays open, unread, until closed. */
  Subscription subscribe(String query) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(hubUrl + "?" + query))
            .header("Accept", "text/event-stream")
            .build();
    return new Subscription(
        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS));
  }

  /** One subscriber connection. */
  static final class Subscription implements AutoCloseable {
    private final HttpResponse<InputStream> response;

    private Subscription(HttpResponse<InputStream> response) {
      this.response = response;
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() throws IOException {
      response.body().close();
    }
  }
}
