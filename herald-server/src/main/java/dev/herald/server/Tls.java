package dev.herald.server;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/** The server's TLS: a context offering HTTP/2 and HTTP/1.1 through ALPN, and its certificate. */
final class Tls {
  private final SslContext context;
  private final X509Certificate certificate;
  private final boolean selfSigned;

  private Tls(SslContext context, X509Certificate certificate, boolean selfSigned) {
    this.context = context;
    this.certificate = certificate;
    this.selfSigned = selfSigned;
  }

  static Tls fromPem(Path chain, Path key) {
    X509Certificate leaf;
    try (InputStream in = Files.newInputStream(chain)) {
      leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new HeraldServerException("cannot read the TLS certificate chain " + chain, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM certificate chain: " + chain, e);
    }
    try {
      return new Tls(
          context(SslContextBuilder.forServer(chain.toFile(), key.toFile())), leaf, false);
    } catch (IllegalArgumentException | SSLException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS key " + key + " with the chain " + chain + ": " + e.getMessage(), e);
    }
  }

  static Tls generateSelfSigned() {
    SelfSignedCertificates.Generated generated;
    try {
      generated = SelfSignedCertificates.localhost();
    } catch (GeneralSecurityException e) {
      throw new HeraldServerException("cannot generate a self-signed certificate", e);
    } catch (LinkageError e) {
      throw new HeraldServerException(
          "development TLS needs BouncyCastle (org.bouncycastle:bcpkix-jdk18on) on the class or"
              + " module path",
          e);
    }
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(generated.keys().getPrivate(), generated.certificate());
      return new Tls(context(builder), generated.certificate(), true);
    } catch (SSLException e) {
      throw new HeraldServerException("cannot set up development TLS", e);
    }
  }

  private static SslContext context(SslContextBuilder builder) throws SSLException {
    return builder
        .sslProvider(SslProvider.JDK)
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  SslContext context() {
    return context;
  }

  X509Certificate certificate() {
    return certificate;
  }

  boolean selfSigned() {
    return selfSigned;
  }
}
