/**
 * Herald's Java {@code EventSource}, over an HTTP/1.1 of its own or the JDK's {@link
 * java.net.http.HttpClient}: see {@link dev.herald.client.EventSource}.
 */
module dev.herald.client {
  requires transitive dev.herald.core;
  requires transitive java.net.http;

  exports dev.herald.client;
}
