package dev.herald.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Herald's own HTTP/1.1, over a plain socket for {@code http} and the JDK's {@link SSLSocket} for
 * {@code https}: one connection per exchange ({@link Http1Exchange}), closed when it ends. It
 * writes header values byte for byte, so a last event ID leaves as its UTF-8 bytes (S-47).
 *
 * <p>TLS: the given context (else the JDK's default), the given parameters (else the context's
 * defaults), always with host name verification ({@code HTTPS}) and ALPN offering {@code http/1.1}
 * only. The connect timeout bounds the TCP connection and then the TLS handshake.
 */
final class Http1Transport implements Transport {
  private final SSLContext sslContext;
  private final SSLParameters sslParameters;
  private final int connectMillis;
  final Duration readTimeout;

  /** {@code sslContext} and {@code sslParameters} may be {@code null}: the JDK's defaults. */
  Http1Transport(
      SSLContext sslContext,
      SSLParameters sslParameters,
      Duration connectTimeout,
      Duration readTimeout) {
    this.sslContext = sslContext;
    this.sslParameters = sslParameters;
    this.connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    this.readTimeout = readTimeout;
  }

  @Override
  public Exchange exchange(Request request) {
    return new Http1Exchange(this, request);
  }

  /** Connects {@code socket}, unconnected, to {@code uri}'s host and port. */
  void connect(Socket socket, URI uri) throws IOException {
    socket.setTcpNoDelay(true);
    InetSocketAddress address = new InetSocketAddress(host(uri), port(uri));
    try {
      socket.connect(address, connectMillis);
    } catch (SocketTimeoutException e) {
      HttpConnectTimeoutException timeout =
          new HttpConnectTimeoutException(
              "no connection to "
                  + address
                  + " within the connect timeout, "
                  + connectMillis
                  + " ms");
      timeout.initCause(e);
      throw timeout;
    }
  }

  /** Whether {@code uri} is {@code https}. */
  static boolean secure(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
  }

  /** Starts TLS over the connected {@code socket} and completes the handshake. */
  SSLSocket handshake(Socket socket, URI uri) throws IOException {
    SSLContext context;
    try {
      context = sslContext != null ? sslContext : SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new IOException("no default TLS context: " + e, e);
    }
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(socket, host(uri), socket.getPort(), true);
    SSLParameters parameters =
        sslParameters != null ? sslParameters : context.getDefaultSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    tls.setSSLParameters(parameters);
    int before = socket.getSoTimeout();
    socket.setSoTimeout(connectMillis);
    try {
      tls.startHandshake();
    } catch (SocketTimeoutException e) {
      HttpConnectTimeoutException timeout =
          new HttpConnectTimeoutException(
              "no TLS handshake with " + uri.getHost() + " within the connect timeout");
      timeout.initCause(e);
      throw timeout;
    }
    socket.setSoTimeout(before);
    return tls;
  }

  /** The host to connect to: IPv6 literals without their brackets. */
  private static String host(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** The port of {@code uri}, or its scheme's default. */
  static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : secure(uri) ? 443 : 80;
  }
}
