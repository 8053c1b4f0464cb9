package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code parse -} prints each event as it is dispatched, while the stream is still open. */
class ParseStreamingTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopExecutor() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void eachEventIsPrintedBeforeTheStreamEnds() throws Exception {
    PipedOutputStream stream = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(stream);
    LineQueueWriter out = new LineQueueWriter();
    StringWriter err = new StringWriter();
    Future<Integer> status =
        executor.submit(
            () ->
                HeraldCommand.commandLine(stdin, new PrintWriter(out), new PrintWriter(err))
                    .execute("parse", "-"));

    write(stream, "id: 1\ndata: first\n\n");
    assertThat(out.nextLine())
        .isEqualTo(
            "{\"type\":\"message\",\"data\":\"first\",\"lastEventId\":\"1\",\"retry\":null}");

    write(stream, "retry: 250\ndata: sec");
    write(stream, "ond\n");
    assertThat(out.isEmpty()).isTrue(); // the block is not finished: nothing to print yet
    write(stream, "\n");
    assertThat(out.nextLine())
        .isEqualTo(
            "{\"type\":\"message\",\"data\":\"second\",\"lastEventId\":\"1\",\"retry\":250}");
    assertThat(status.isDone()).isFalse();

    stream.close();
    assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(out.isEmpty()).isTrue();
    assertThat(err.toString()).isEmpty();
  }

  private static void write(PipedOutputStream stream, String text) throws IOException {
    stream.write(text.getBytes(StandardCharsets.UTF_8));
    stream.flush();
  }
}
