package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzz test of the {@code application/x-www-form-urlencoded} parser that reads every publish body
 * and subscribe query: for any bytes it returns pairs or throws {@link IllegalArgumentException}
 * (not valid UTF-8) and nothing else, the query form agrees with the body form, and any pairs
 * encoded as a browser would encode them parse back to themselves. See docs/fuzzing.md.
 */
class FormDataFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void anyBytes(FuzzedDataProvider data) {
    boolean roundTrip = data.consumeBoolean();
    if (roundTrip) {
      List<Map.Entry<String, String>> pairs = new ArrayList<>();
      StringBuilder encoded = new StringBuilder();
      for (int i = data.consumeInt(1, 5); i > 0; i--) {
        String name = wellFormed(data.consumeString(30));
        String value = wellFormed(data.consumeString(60));
        if (name.isEmpty() && value.isEmpty()) {
          continue; // "=" alone is a pair with empty name and value, but "" is no pair at all
        }
        pairs.add(Map.entry(name, value));
        encoded.append(encoded.length() == 0 ? "" : "&").append(enc(name)).append('=');
        encoded.append(enc(value));
      }
      byte[] bytes = encoded.toString().getBytes(StandardCharsets.US_ASCII);
      assertThat(FormData.parse(bytes)).isEqualTo(pairs);
      return;
    }
    byte[] input = data.consumeRemainingAsBytes();
    List<Map.Entry<String, String>> body;
    try {
      body = FormData.parse(input);
    } catch (IllegalArgumentException notUtf8) {
      body = null;
    }
    List<Map.Entry<String, String>> query;
    try {
      query = FormData.parseQuery(new String(input, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException notUtf8) {
      query = null;
    }
    assertThat(query).isEqualTo(body);
    try {
      FormData.percentDecode(new String(input, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException notUtf8) {
      // documented
    }
  }

  /** The string without lone surrogates, which no encoder can write as UTF-8. */
  private static String wellFormed(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
        .replace("\uFFFD", "");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
