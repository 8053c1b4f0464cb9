package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Positions in a log: ordered by their parts in turn, written and read back as text. */
class CursorTest {
  @Test
  @DisplayName("cursors order by their first part, then their second; START is before all")
  void order() {
    List<Cursor> cursors =
        new ArrayList<>(
            List.of(
                Cursor.of(1700000000001L, 0),
                Cursor.of(2),
                Cursor.of(1700000000000L, 3),
                Cursor.START,
                Cursor.of(1700000000000L, 1)));
    Collections.shuffle(cursors);
    Collections.sort(cursors);
    assertThat(cursors)
        .containsExactly(
            Cursor.START,
            Cursor.of(2),
            Cursor.of(1700000000000L, 1),
            Cursor.of(1700000000000L, 3),
            Cursor.of(1700000000001L, 0));
    assertThat(Cursor.of(3).isAfter(Cursor.of(2))).isTrue();
    assertThat(Cursor.of(2).isAfter(Cursor.of(2))).isFalse();
    assertThat(Cursor.of(0)).isSameAs(Cursor.START);
  }

  @Test
  @DisplayName("the text form reads back as the same cursor: 42, 1700000000000-3")
  void text() {
    for (Cursor c :
        List.of(Cursor.START, Cursor.of(42), Cursor.of(1700000000000L, 3), Cursor.of(0, 7))) {
      assertThat(Cursor.parse(c.toString())).isEqualTo(c).hasSameHashCodeAs(c);
    }
    assertThat(Cursor.of(42)).hasToString("42");
    assertThat(Cursor.of(1700000000000L, 3)).hasToString("1700000000000-3");
    assertThat(Cursor.parse("5-0")).isEqualTo(Cursor.of(5));
  }

  @Test
  @DisplayName("negative parts and text that is not a cursor are refused")
  void refused() {
    assertThatThrownBy(() -> Cursor.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cursor.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
    for (String text : new String[] {"", "x", "1-", "-1", "1-2-3", "1--2", " 1"}) {
      assertThatThrownBy(() -> Cursor.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
