package dev.herald.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON output for the hub's own documents. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** {@code value} as a JSON string literal. */
  static String quote(String value) {
    return write(value);
  }

  /** {@code value} (maps, lists, strings, numbers, booleans) as JSON text. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable as JSON", e);
    }
  }
}
