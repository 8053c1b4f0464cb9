package dev.herald.client;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How a source's requests reach the server: Herald's own HTTP/1.1 ({@link Http1Transport}) or the
 * JDK's {@link HttpClient} ({@link JdkTransport}). {@link #of} is the one rule that picks.
 */
interface Transport {
  /** The connect timeout when neither the builder's client nor anything else sets one. */
  Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** A new exchange for {@code request}, not yet sent. */
  Exchange exchange(Request request);

  /**
   * The transport for {@code builder}: Herald's HTTP/1.1 unless the builder's client asks for what
   * only the JDK's client does — HTTP/2 (the JDK's default version), a proxy, an authenticator or a
   * cookie handler. Herald's HTTP/1.1 takes the client's TLS settings and connect timeout.
   */
  static Transport of(EventSource.Builder builder) {
    HttpClient client = builder.httpClient;
    if (client == null) {
      return new Http1Transport(null, null, DEFAULT_CONNECT_TIMEOUT, builder.readTimeout);
    }
    boolean jdkOnly =
        client.version() != HttpClient.Version.HTTP_1_1
            || client.proxy().isPresent()
            || client.authenticator().isPresent()
            || client.cookieHandler().isPresent();
    if (jdkOnly) {
      return new JdkTransport(client, builder.readTimeout);
    }
    return new Http1Transport(
        client.sslContext(),
        client.sslParameters(),
        client.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT),
        builder.readTimeout);
  }
}
