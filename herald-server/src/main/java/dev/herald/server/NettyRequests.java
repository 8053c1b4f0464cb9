package dev.herald.server;

import io.netty.handler.codec.http.FullHttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.Map;

/** {@link Request}s of the requests Netty decoded: copied out of its buffers. */
final class NettyRequests {
  private NettyRequests() {}

  /**
   * The request {@code request} from {@code remoteAddress} over {@code protocol}.
   *
   * @throws IllegalArgumentException if its target holds a malformed percent-escape
   */
  static Request of(FullHttpRequest request, SocketAddress remoteAddress, String protocol) {
    Request.Builder b =
        Request.builder(request.method().name(), request.uri())
            .protocol(protocol)
            .remoteAddress(
                remoteAddress instanceof InetSocketAddress
                    ? (InetSocketAddress) remoteAddress
                    : null);
    Iterator<Map.Entry<CharSequence, CharSequence>> headers =
        request.headers().iteratorCharSequence();
    while (headers.hasNext()) {
      Map.Entry<CharSequence, CharSequence> header = headers.next();
      b.header(header.getKey().toString(), header.getValue().toString());
    }
    int length = request.content().readableBytes();
    if (length > 0) {
      byte[] body = new byte[length];
      request.content().getBytes(request.content().readerIndex(), body);
      b.body(body);
    }
    return b.build();
  }
}
