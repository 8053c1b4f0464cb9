package dev.herald.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The events of the client benchmark's stream: each has one {@code data} line of random ASCII
 * letters and digits (fixed seed), and nothing else. Event <i>i</i> carries {@link #data(int)
 * data(i)}, one of {@value #DISTINCT} distinct strings taken in turn, so a stream of any length
 * needs little memory to build and its events are known in advance.
 */
public enum ClientPayload {
  /** 64 bytes of data per event; {@value #SMALL_EVENTS} events per connection. */
  SMALL(64, ClientPayload.SMALL_EVENTS),
  /** 1 KiB of data per event; {@value #KIB_EVENTS} events per connection. */
  KIB(1024, ClientPayload.KIB_EVENTS);

  /** Events per connection of {@link #SMALL}. */
  public static final int SMALL_EVENTS = 100_000;

  /** Events per connection of {@link #KIB}: the same order of bytes as {@link #SMALL}. */
  public static final int KIB_EVENTS = 10_000;

  /** The number of distinct data strings that the events cycle through. */
  public static final int DISTINCT = 1024;

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final long SEED = 0xC11E47L;

  private final int dataBytes;
  private final int defaultEvents;
  private final List<String> distinct;

  ClientPayload(int dataBytes, int defaultEvents) {
    this.dataBytes = dataBytes;
    this.defaultEvents = defaultEvents;
    this.distinct = randomStrings(dataBytes);
  }

  /** The bytes of data of each event. */
  public int dataBytes() {
    return dataBytes;
  }

  /** The number of events per connection that the benchmark uses unless told otherwise. */
  public int defaultEvents() {
    return defaultEvents;
  }

  /** A short description for reports: {@code "64 B"} or {@code "1 KiB"}. */
  public String label() {
    return dataBytes % 1024 == 0 ? dataBytes / 1024 + " KiB" : dataBytes + " B";
  }

  /** The data of event {@code index} (from 0) of a stream. */
  public String data(int index) {
    return distinct.get(index % DISTINCT);
  }

  /** The encoded event {@code index}: {@code "data: "}, its data, then two LFs. */
  public String encodedEvent(int index) {
    return "data: " + data(index) + "\n\n";
  }

  private static List<String> randomStrings(int length) {
    SplittableRandom random = new SplittableRandom(SEED + length);
    List<String> strings = new ArrayList<>(DISTINCT);
    StringBuilder sb = new StringBuilder(length);
    for (int s = 0; s < DISTINCT; s++) {
      sb.setLength(0);
      for (int i = 0; i < length; i++) {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      strings.add(sb.toString());
    }
    return List.copyOf(strings);
  }
}
