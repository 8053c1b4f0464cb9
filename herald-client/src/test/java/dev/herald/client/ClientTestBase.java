package dev.herald.client;

import dev.herald.testing.MockSseServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A mock server, a recording listener, and sources that are closed after each test. */
abstract class ClientTestBase {
  final MockSseServer server = MockSseServer.start();
  final RecordingListener listener = new RecordingListener();
  private final List<EventSource> sources = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    sources.forEach(EventSource::close);
    server.close();
  }

  /** A builder for {@code /events} of the mock server that reconnects at once, recording. */
  EventSource.Builder builder() {
    return builder(server.uri("/events"));
  }

  /** A builder for {@code uri} that reconnects at once, recording. */
  EventSource.Builder builder(URI uri) {
    return EventSource.builder(uri)
        .listener(listener)
        .reconnectionTime(Duration.ZERO)
        .retryStrategy(RetryStrategy.constant());
  }

  /** Builds, remembers for closing, and starts. */
  EventSource start(EventSource.Builder builder) {
    EventSource source = build(builder);
    source.start();
    return source;
  }

  /** Builds a source that is closed after the test, not started yet. */
  EventSource build(EventSource.Builder builder) {
    EventSource source = builder.build();
    sources.add(source);
    return source;
  }

  /** A port on 127.0.0.1 that nothing listens on: connecting to it is refused. */
  static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  EventSource start() {
    return start(builder());
  }
}
