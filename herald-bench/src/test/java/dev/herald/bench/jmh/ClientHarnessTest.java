package dev.herald.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client harness of {@link ClientBenchmark} receives exactly the events the loopback server
 * sends, with their data, over one connection per call, whatever the framing; so their figures
 * compare.
 */
class ClientHarnessTest {
  static Stream<Arguments> clientsAndFramings() {
    List<Arguments> all = new ArrayList<>();
    for (ClientHarness client : ClientHarness.values()) {
      for (BodyFraming framing : BodyFraming.values()) {
        all.add(Arguments.of(client, framing));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("clientsAndFramings")
  void everyClientReceivesEveryEventWithItsData(ClientHarness client, BodyFraming framing)
      throws Exception {
    for (ClientPayload payload : ClientPayload.values()) {
      int events = ClientPayload.DISTINCT + 300; // the data strings come round again
      try (LoopbackSseServer server = LoopbackSseServer.start(framing.response(payload, events));
          ClientHarness.Receiver receiver = client.newReceiver()) {
        for (int connection = 1; connection <= 3; connection++) {
          List<String> data = new ArrayList<>();
          int count = receiver.receive(server.uri(), events, data::add);
          assertThat(count).as("%s %s count", payload, framing).isEqualTo(events);
          assertThat(data).as("%s %s data", payload, framing).isEqualTo(expected(payload, events));
          assertThat(server.connections()).as("connections").isEqualTo(connection);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ClientHarness.class)
  void aStreamThatEndsEarlyFailsInsteadOfReconnecting(ClientHarness client) throws Exception {
    try (LoopbackSseServer server =
            LoopbackSseServer.start(BodyFraming.CHUNKED.response(ClientPayload.SMALL, 10));
        ClientHarness.Receiver receiver = client.newReceiver()) {
      List<String> data = new ArrayList<>();
      assertThatThrownBy(() -> receiver.receive(server.uri(), 11, data::add))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("of 11 events");
      assertThat(data).isEqualTo(expected(ClientPayload.SMALL, 10));
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void chunkedResponseCarriesTheSameEventsAsTheBareOne() {
    String close = ascii(BodyFraming.CLOSE.response(ClientPayload.KIB, 3));
    String chunked = ascii(BodyFraming.CHUNKED.response(ClientPayload.KIB, 3));
    String events =
        String.join(
            "", expected(ClientPayload.KIB, 3).stream().map(d -> "data: " + d + "\n\n").toList());
    assertThat(close).endsWith("Connection: close\r\n\r\n" + events);
    assertThat(chunked)
        .contains("Transfer-Encoding: chunked\r\n\r\n408\r\ndata: ")
        .endsWith("\n\n\r\n0\r\n\r\n");
    assertThat(dechunk(chunked.substring(chunked.indexOf("\r\n\r\n") + 4))).isEqualTo(events);
  }

  @Test
  void defaultStreamsAreLongEnoughToDwarfTheConnection() {
    for (ClientPayload payload : ClientPayload.values()) {
      assertThat(BodyFraming.CLOSE.response(payload, payload.defaultEvents()).length)
          .as("%s bytes", payload)
          .isGreaterThan(7_000_000);
    }
  }

  private static List<String> expected(ClientPayload payload, int events) {
    List<String> data = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      data.add(payload.data(i));
    }
    assertThat(data.get(0)).hasSize(payload.dataBytes()).matches("[A-Za-z0-9]+");
    return data;
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = body.indexOf("\r\n", at);
      int size = Integer.parseInt(body.substring(at, lineEnd), 16);
      if (size == 0) {
        assertThat(body.substring(lineEnd)).isEqualTo("\r\n\r\n");
        return out.toString();
      }
      out.append(body, lineEnd + 2, lineEnd + 2 + size);
      assertThat(body.substring(lineEnd + 2 + size, lineEnd + 4 + size)).isEqualTo("\r\n");
      at = lineEnd + 4 + size;
    }
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
