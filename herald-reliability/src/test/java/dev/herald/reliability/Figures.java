package dev.herald.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The figures the suite proves, one line each starting with {@code FIGURE }: printed, and appended
 * to the file the {@code herald.figures} system property names (the build sets {@code
 * target/figures.txt}) so that docs/reliability.md can quote them.
 */
final class Figures {
  private Figures() {}

  /** Prints {@code FIGURE name: text}; {@code text} is a format, numbers grouped with commas. */
  static void print(String name, String format, Object... args) {
    String line = "FIGURE " + name + ": " + String.format(Locale.ROOT, format, args);
    System.out.println(line);
    String file = System.getProperty("herald.figures");
    if (file != null) {
      try {
        Files.writeString(
            Path.of(file),
            line + System.lineSeparator(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
