/**
 * Herald's Java {@code EventSource} on {@link java.net.http.HttpClient}: see {@link
 * dev.herald.client.EventSource}.
 */
module dev.herald.client {
  requires transitive dev.herald.core;
  requires transitive java.net.http;

  exports dev.herald.client;
}
