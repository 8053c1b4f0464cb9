package dev.herald.hub;

import dev.herald.hub.auth.AccessRequest;
import dev.herald.server.Request;
import java.net.URI;
import java.util.List;

/**
 * A request to the hub as its access policy sees it: the server's request, and whether it comes
 * from an origin the hub trusts. Made per request, used on the request's event loop.
 */
final class HttpAccessRequest implements AccessRequest {
  private final Request request;
  private final Hub hub;

  HttpAccessRequest(Request request, Hub hub) {
    this.request = request;
    this.hub = hub;
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public String path() {
    return request.path();
  }

  @Override
  public String header(String name) {
    return request.header(name);
  }

  @Override
  public List<String> headers(String name) {
    return request.headers(name);
  }

  /**
   * CSRF defence for credentials a browser sends by itself: the Origin (or else the Referer) must
   * be the hub's own origin, an allowed CORS origin, or that of the Host the request was sent to.
   */
  @Override
  public boolean fromTrustedOrigin() {
    String origin = request.header("Origin");
    if (origin == null) {
      String referer = request.header("Referer");
      if (referer == null) {
        return false;
      }
      try {
        URI r = URI.create(referer);
        origin = r.getScheme() + "://" + r.getRawAuthority();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (origin.equals(hub.baseUrl()) || hub.config().server().corsOrigins().contains(origin)) {
      return true;
    }
    String host = request.header("Host");
    return host != null && (origin.equals("https://" + host) || origin.equals("http://" + host));
  }
}
