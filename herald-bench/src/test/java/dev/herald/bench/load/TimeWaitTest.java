package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading TIME_WAIT sockets from /proc/net/tcp, and the bounded wait for them to drain. */
class TimeWaitTest {
  @Test
  void theStateIsTheFourthColumnOfATableLine() {
    // lines as /proc/net/tcp prints them: sl, local, remote, st, …
    assertThat(
            TimeWait.state(
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000"))
        .isEqualTo("0A");
    assertThat(
            TimeWait.state(
                "  12: 0200007F:A2C4 0100007F:1F90 06 00000000:00000000 03:000015A3 00000000"))
        .isEqualTo("06");
    assertThat(TimeWait.state("  1: short")).isEmpty();
  }

  @Test
  void theMachineIsCountedAndNoWaitIsNeededUnderAHighBound() {
    long n = TimeWait.count();
    assertThat(n).isGreaterThanOrEqualTo(0); // Linux: the tables are there
    assertThat(TimeWait.drain(Long.MAX_VALUE, 1)).isNull(); // below the bound: no wait at all
    assertThat(TimeWait.drain(0, 1)).isNull(); // 0 turns the wait off
  }

  @Test
  void aWaitThatCannotDrainGivesUpAtItsBoundAndSaysSo() {
    // a bound of 1 cannot be met while this JVM's own test sockets linger; if the machine holds
    // none, there is nothing to wait for
    TimeWait.Drained d = TimeWait.drain(1, 0.6);
    if (d != null) {
      assertThat(d.seconds()).isLessThan(5);
      assertThat(d.describe(1)).startsWith("waited ").contains("TIME_WAIT sockets");
      assertThat(d.drained()).isEqualTo(d.after() < 1);
    }
  }
}
