package dev.herald.urlpattern;

import static dev.herald.urlpattern.Token.Type.ASTERISK;
import static dev.herald.urlpattern.Token.Type.CHAR;
import static dev.herald.urlpattern.Token.Type.CLOSE;
import static dev.herald.urlpattern.Token.Type.END;
import static dev.herald.urlpattern.Token.Type.ESCAPED_CHAR;
import static dev.herald.urlpattern.Token.Type.INVALID_CHAR;
import static dev.herald.urlpattern.Token.Type.NAME;
import static dev.herald.urlpattern.Token.Type.OPEN;
import static dev.herald.urlpattern.Token.Type.OTHER_MODIFIER;
import static dev.herald.urlpattern.Token.Type.REGEXP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  private static List<Token> strict(String input) {
    return Tokenizer.tokenize(input, Tokenizer.Policy.STRICT);
  }

  @Test
  void namedGroupWithRegexpAndModifier() {
    assertThat(strict("/books/:id(\\d+)?"))
        .containsExactly(
            new Token(CHAR, 0, "/"),
            new Token(CHAR, 1, "b"),
            new Token(CHAR, 2, "o"),
            new Token(CHAR, 3, "o"),
            new Token(CHAR, 4, "k"),
            new Token(CHAR, 5, "s"),
            new Token(CHAR, 6, "/"),
            new Token(NAME, 7, "id"),
            new Token(REGEXP, 10, "\\d+"),
            new Token(OTHER_MODIFIER, 15, "?"),
            new Token(END, 16, ""));
  }

  @Test
  void groupingWildcardAndEscapes() {
    assertThat(strict("{a}*\\:+"))
        .containsExactly(
            new Token(OPEN, 0, "{"),
            new Token(CHAR, 1, "a"),
            new Token(CLOSE, 2, "}"),
            new Token(ASTERISK, 3, "*"),
            new Token(ESCAPED_CHAR, 4, ":"),
            new Token(OTHER_MODIFIER, 6, "+"),
            new Token(END, 7, ""));
  }

  @Test
  void namesFollowJavaScriptIdentifiers() {
    assertThat(strict(":café-x"))
        .extracting(Token::type, Token::value)
        .startsWith(
            org.assertj.core.groups.Tuple.tuple(NAME, "café"),
            org.assertj.core.groups.Tuple.tuple(CHAR, "-"));
    assertThat(strict(":$_1").get(0).value()).isEqualTo("$_1");
    assertThat(strict(":\u2118").get(0)).isEqualTo(new Token(NAME, 0, "\u2118"));
  }

  @Test
  void indexesCountCodePoints() {
    List<Token> tokens = strict("\uD83D\uDE00:x");
    assertThat(tokens.get(0)).isEqualTo(new Token(CHAR, 0, "\uD83D\uDE00"));
    assertThat(tokens.get(1)).isEqualTo(new Token(NAME, 1, "x"));
  }

  @Test
  void nestedNonCapturingGroupsStayInOneRegexpToken() {
    assertThat(strict("((?:a)|b)"))
        .containsExactly(new Token(REGEXP, 0, "(?:a)|b"), new Token(END, 9, ""));
  }

  @Test
  void strictPolicyRejectsWithTheReasonAndPosition() {
    assertThatThrownBy(() -> strict("/a/:"))
        .isInstanceOf(UrlPatternException.class)
        .hasMessageContaining("group name")
        .extracting(e -> ((UrlPatternException) e).index())
        .isEqualTo(3);
    assertThatThrownBy(() -> strict("/(a(b))"))
        .hasMessageContaining("cannot contain a capturing group");
    assertThatThrownBy(() -> strict("(?x)")).hasMessageContaining("cannot start with '?'");
    assertThatThrownBy(() -> strict("(caf\u00e9)")).hasMessageContaining("ASCII");
    assertThatThrownBy(() -> strict("(a")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> strict("()")).hasMessageContaining("cannot be empty");
    assertThatThrownBy(() -> strict("a\\")).hasMessageContaining("backslash");
  }

  @Test
  void lenientPolicyMakesInvalidCharTokens() {
    assertThat(Tokenizer.tokenize("a:", Tokenizer.Policy.LENIENT))
        .containsExactly(
            new Token(CHAR, 0, "a"), new Token(INVALID_CHAR, 1, ":"), new Token(END, 2, ""));
  }
}
