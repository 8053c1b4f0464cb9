package dev.herald.hub.auth;

import java.util.List;

/**
 * The request an {@link AccessPolicy} decides on, as the hub received it: where credentials come
 * from (headers, cookies), with nothing of the transport that carried it. Not the body: a publish
 * is decided on the update it describes.
 *
 * @since 0.1
 */
public interface AccessRequest {
  /** The method, such as {@code GET}. */
  String method();

  /** The decoded path, without the query string. */
  String path();

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  String header(String name);

  /** All values of header {@code name} (case-insensitive), in order; empty if none. */
  List<String> headers(String name);

  /**
   * Whether the request comes from a page the hub trusts, by its {@code Origin} header (else its
   * {@code Referer}): the hub's own origin, the origin of the {@code Host} it was sent to, or an
   * origin its CORS settings allow. The defence against cross-site request forgery for credentials
   * a browser sends by itself (cookies); {@code false} if the request names no origin.
   */
  boolean fromTrustedOrigin();
}
