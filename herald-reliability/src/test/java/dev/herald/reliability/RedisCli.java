package dev.herald.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One command to a Redis (or Sentinel) on 127.0.0.1, over RESP on a fresh connection, as {@code
 * redis-cli} would send it: for the tests to ask a server its role, make it fail over, or sleep.
 * Replies come back as text: a simple string or bulk string as is, an integer as its digits, an
 * array as its elements' texts joined by newlines, an error as an {@link IOException}.
 */
final class RedisCli {
  private RedisCli() {}

  /** Sends {@code args} to 127.0.0.1:{@code port}; the reply as text (null for a null reply). */
  static String call(int port, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        command.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        command.append(a).append("\r\n");
      }
      out.write(command.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  /** Whether a server answers PING on {@code port}. */
  static boolean pings(int port) {
    try {
      return "PONG".equals(call(port, "PING"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
      case ':':
        return line;
      case '-':
        throw new IOException("redis: " + line);
      case '$':
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      case '*':
        int count = Integer.parseInt(line);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return count < 0 ? null : String.join("\n", items);
      default:
        throw new IOException("not a RESP reply: " + (char) type + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-reply");
      }
      line.write(b);
    }
    in.read(); // \n
    return line.toString(StandardCharsets.UTF_8);
  }
}
