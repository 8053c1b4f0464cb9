package dev.herald.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Exchanges on the JDK's {@link HttpClient}: for HTTP/2, proxies, authenticators and cookie
 * handlers. The body arrives through a {@link BodyQueue}, handed over from the client's threads.
 * Over HTTP/1.1 the JDK's client writes header values as US-ASCII, so characters past U+007F leave
 * as {@code ?}; HTTP/2 carries their bytes intact.
 */
final class JdkTransport implements Transport {
  private final HttpClient client;
  private final Duration readTimeout;

  JdkTransport(HttpClient client, Duration readTimeout) {
    this.client = client;
    this.readTimeout = readTimeout;
  }

  @Override
  public Exchange exchange(Request request) {
    HttpRequest.Builder http =
        HttpRequest.newBuilder(request.uri())
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (!readTimeout.isZero()) {
      http.timeout(readTimeout); // until the response's head
    }
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      http.setHeader(header.getKey(), header.getValue());
    }
    return new JdkExchange(http.build());
  }

  private final class JdkExchange implements Exchange {
    private final HttpRequest request;
    private CompletableFuture<HttpResponse<BodyQueue>> future; // guarded by this
    private HttpResponse<BodyQueue> response; // guarded by this
    private boolean aborted; // guarded by this
    private byte[] scratch;

    JdkExchange(HttpRequest request) {
      this.request = request;
    }

    @Override
    public void send() throws IOException, InterruptedException {
      CompletableFuture<HttpResponse<BodyQueue>> f =
          client.sendAsync(request, info -> new BodyQueue());
      synchronized (this) {
        future = f;
        if (aborted) {
          f.cancel(true);
        }
      }
      HttpResponse<BodyQueue> r;
      try {
        r = f.get();
      } catch (CancellationException e) {
        throw new IOException("the exchange was aborted");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof IOException
            ? (IOException) cause
            : new IOException(String.valueOf(cause), cause);
      }
      synchronized (this) {
        response = r;
        if (aborted) {
          r.body().abort();
          throw new IOException("the exchange was aborted");
        }
      }
    }

    @Override
    public synchronized ResponseInfo response() {
      return ResponseInfo.of(response);
    }

    @Override
    public boolean readSome(BodySink sink) throws IOException, InterruptedException {
      BodyQueue body;
      synchronized (this) {
        body = response.body();
      }
      Object item = body.next(readTimeout.toNanos());
      if (item instanceof List) {
        for (ByteBuffer buffer : buffers(item)) {
          feed(buffer, sink);
        }
        body.request();
        return true;
      }
      if (item == BodyQueue.END) {
        return false;
      }
      if (item == null) {
        throw new HttpTimeoutException(
            "no data for " + readTimeout.toMillis() + " ms: the read timeout passed");
      }
      if (item == BodyQueue.ABORTED) {
        throw new IOException("the exchange was aborted");
      }
      Throwable error = (Throwable) item;
      throw error instanceof IOException
          ? (IOException) error
          : new IOException(error.toString(), error);
    }

    private void feed(ByteBuffer buffer, BodySink sink) {
      if (buffer.hasArray()) {
        sink.accept(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return;
      }
      if (scratch == null) {
        scratch = new byte[8192];
      }
      while (buffer.hasRemaining()) {
        int n = Math.min(scratch.length, buffer.remaining());
        buffer.get(scratch, 0, n);
        sink.accept(scratch, 0, n);
      }
    }

    @Override
    public void abort() {
      CompletableFuture<?> f;
      HttpResponse<BodyQueue> r;
      synchronized (this) {
        aborted = true;
        f = future;
        r = response;
      }
      if (f != null) {
        f.cancel(true);
      }
      if (r != null) {
        r.body().abort(); // closes an unfinished HTTP/1.1 response, resets an HTTP/2 stream
      }
    }
  }

  @SuppressWarnings("unchecked") // the body subscriber's items are the client's buffer lists
  private static List<ByteBuffer> buffers(Object item) {
    return (List<ByteBuffer>) item;
  }
}
