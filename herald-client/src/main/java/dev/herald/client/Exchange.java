package dev.herald.client;

import java.io.IOException;

/**
 * One request and its response on a {@link Transport}: {@link #send()} waits for the response's
 * head, then {@link #readSome} hands the body's bytes, without their framing, to a {@link BodySink}
 * on the calling thread.
 *
 * <p>{@link #send()} and {@link #readSome} are called by the source's thread, one after the other;
 * {@link #abort()} by any thread, at any time.
 */
interface Exchange {
  /**
   * Sends the request and waits for the response's head (its status and headers), at most the read
   * timeout.
   *
   * @throws java.net.http.HttpTimeoutException if the read timeout passed first
   * @throws IOException for a network error, also after {@link #abort()}
   */
  void send() throws IOException, InterruptedException;

  /** The response's status, headers, URL and version: once {@link #send()} has returned. */
  ResponseInfo response();

  /**
   * Waits for the next bytes of the body, at most the read timeout, and hands all that arrived to
   * {@code sink}, in order, in one or more calls.
   *
   * @return {@code false} once the body has ended (after handing over its last bytes)
   * @throws java.net.http.HttpTimeoutException if no byte came within the read timeout
   * @throws IOException for a network error or a malformed body, also after {@link #abort()}
   */
  boolean readSome(BodySink sink) throws IOException, InterruptedException;

  /**
   * Drops the exchange: closes its connection (or resets its HTTP/2 stream), which wakes a thread
   * blocked in {@link #send()} or {@link #readSome}. Idempotent; any thread.
   */
  void abort();

  /** Receives body bytes; the array is the exchange's, valid only during the call. */
  @FunctionalInterface
  interface BodySink {
    void accept(byte[] bytes, int offset, int length);
  }
}
