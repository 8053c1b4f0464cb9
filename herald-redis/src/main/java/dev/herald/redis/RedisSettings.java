package dev.herald.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a hub reaches Redis and keeps its history there: immutable, made by {@link #builder}. Only
 * the URI is required:
 *
 * <pre>{@code
 * RedisSettings settings = RedisSettings.builder()
 *     .uri("redis://127.0.0.1:6379")
 *     .waitReplicas(1) // acknowledge a publish once a replica has it too
 *     .build();
 * }</pre>
 *
 * <p>The URI is any Lettuce parses: {@code redis://[[user:]password@]host[:port][/database]},
 * {@code rediss://} for TLS, {@code redis-sentinel://[password@]host[:port][,host[:port]]/
 * [database]#master} for Sentinel. The settings never show its password ({@link #redactedUri},
 * {@link #toString}).
 *
 * @since 0.2
 */
public final class RedisSettings {
  /** The default stream key: {@value}. */
  public static final String DEFAULT_STREAM_KEY = "herald:updates";

  /** The default most entries the stream keeps (approximately): {@value}. */
  public static final long DEFAULT_MAX_LENGTH = 1_000_000;

  /** The default oldest entry the stream keeps (approximately): 7 days. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  /** The default time a command may take before it fails: 1 second. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

  /**
   * The default time connecting to Redis may take (TCP, TLS and the connection's first commands):
   * 10 seconds.
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The default time a publish waits for its replicas when {@link #waitReplicas} is set: 1 s. */
  public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(1);

  private static final Pattern USER_INFO = Pattern.compile("(://)[^/?#]*@"); // to the last @
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  private final String uri;
  private final String streamKey;
  private final long maxLength;
  private final Duration maxAge;
  private final int waitReplicas;
  private final Duration waitTimeout;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final String nodeName;

  private RedisSettings(Builder b) {
    this.uri = b.uri;
    this.streamKey = b.streamKey;
    this.maxLength = b.maxLength;
    this.maxAge = b.maxAge;
    this.waitReplicas = b.waitReplicas;
    this.waitTimeout = b.waitTimeout;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.nodeName = b.nodeName;
  }

  /** A builder with the defaults and no URI. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.uri = uri;
    b.streamKey = streamKey;
    b.maxLength = maxLength;
    b.maxAge = maxAge;
    b.waitReplicas = waitReplicas;
    b.waitTimeout = waitTimeout;
    b.commandTimeout = commandTimeout;
    b.connectTimeout = connectTimeout;
    b.nodeName = nodeName;
    return b;
  }

  /** The Redis URI, with its password: never log it (log {@link #redactedUri}). */
  public String uri() {
    return uri;
  }

  /** The URI without its user information (user and password), for logs and messages. */
  public String redactedUri() {
    return redact(uri);
  }

  static String redact(String uri) {
    return USER_INFO.matcher(uri).replaceFirst("$1***@");
  }

  /** The key of the stream that holds the history; the keys beside it share it as a prefix. */
  public String streamKey() {
    return streamKey;
  }

  /** The most entries the stream keeps, approximately ({@code MAXLEN ~}); 0 for no bound. */
  public long maxLength() {
    return maxLength;
  }

  /** The oldest entry the stream keeps, approximately ({@code MINID ~}); {@code null} for none. */
  public Duration maxAge() {
    return maxAge;
  }

  /** How many replicas must have an update before its publish is acknowledged; 0: none. */
  public int waitReplicas() {
    return waitReplicas;
  }

  /** How long a publish waits for {@link #waitReplicas} before it fails. */
  public Duration waitTimeout() {
    return waitTimeout;
  }

  /** How long a command may take before it fails (a publish then gets 503). */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * How long connecting to Redis may take: the TCP connection, TLS, and the commands that set the
   * connection up ({@code HELLO}, {@code AUTH}, {@code SELECT}, {@code CLIENT SETNAME}), at start
   * and at each reconnection. Apart from {@link #commandTimeout}, so that a JVM starting on a busy
   * machine is not refused by the one-second bound of a publish.
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The name this node gives its Redis connections ({@code CLIENT LIST}), or {@code null}. */
  public String nodeName() {
    return nodeName;
  }

  /** The settings, the URI redacted. */
  @Override
  public String toString() {
    return "RedisSettings{uri="
        + redactedUri()
        + ", streamKey="
        + streamKey
        + ", maxLength="
        + maxLength
        + ", maxAge="
        + maxAge
        + ", waitReplicas="
        + waitReplicas
        + ", waitTimeout="
        + waitTimeout
        + ", commandTimeout="
        + commandTimeout
        + ", connectTimeout="
        + connectTimeout
        + ", nodeName="
        + nodeName
        + "}";
  }

  /**
   * Builds {@link RedisSettings}; every setter checks its argument and names it when it refuses
   * one. Not thread-safe.
   *
   * @since 0.2
   */
  public static final class Builder {
    private String uri;
    private String streamKey = DEFAULT_STREAM_KEY;
    private long maxLength = DEFAULT_MAX_LENGTH;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private int waitReplicas;
    private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private String nodeName;

    private Builder() {}

    /**
     * The Redis URI, as Lettuce's {@code RedisURI} parses it ({@code redis://}, {@code rediss://},
     * {@code redis-sentinel://}).
     *
     * @throws IllegalArgumentException if Lettuce cannot parse it (the message omits the password)
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      try {
        RedisURI.create(uri);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a Redis URI: " + redact(uri));
      }
      this.uri = uri;
      return this;
    }

    /**
     * The stream's key (default {@value #DEFAULT_STREAM_KEY}): 1 to 200 printable ASCII characters,
     * no space. The epoch and the ID lookup live beside it, at this key plus {@code :epoch}, {@code
     * :ids}, {@code :order}.
     */
    public Builder streamKey(String key) {
      if (!KEY.matcher(Objects.requireNonNull(key, "key")).matches()) {
        throw new IllegalArgumentException(
            "streamKey must be 1 to 200 printable ASCII characters, no space: " + key);
      }
      this.streamKey = key;
      return this;
    }

    /**
     * The most entries kept, approximately; 0 for no bound. Default {@value #DEFAULT_MAX_LENGTH}.
     */
    public Builder maxLength(long entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("maxLength must not be negative: " + entries);
      }
      this.maxLength = entries;
      return this;
    }

    /** The oldest entry kept, approximately; {@code null} for no bound. Default 7 days. */
    public Builder maxAge(Duration age) {
      if (age != null && (age.isNegative() || age.toMillis() < 1)) {
        throw new IllegalArgumentException("maxAge must be at least 1 ms: " + age);
      }
      this.maxAge = age;
      return this;
    }

    /**
     * How many replicas must acknowledge an update ({@code WAIT}) before its publish is; 0 (the
     * default) acknowledges once the primary has it. At most 100.
     */
    public Builder waitReplicas(int replicas) {
      if (replicas < 0 || replicas > 100) {
        throw new IllegalArgumentException("waitReplicas must be 0 to 100: " + replicas);
      }
      this.waitReplicas = replicas;
      return this;
    }

    /** How long a publish waits for its replicas: 1 ms to 1 minute; default 1 s. */
    public Builder waitTimeout(Duration timeout) {
      this.waitTimeout = bounded("waitTimeout", timeout);
      return this;
    }

    /** How long a command may take: 1 ms to 1 minute; default 1 s. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = bounded("commandTimeout", timeout);
      return this;
    }

    /** How long connecting may take: 1 ms to 1 minute; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = bounded("connectTimeout", timeout);
      return this;
    }

    /**
     * The node's name for its Redis connections: 1 to 100 characters of letters, digits and {@code
     * . _ : -} (others become {@code _}). Default none.
     */
    public Builder nodeName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.length() > 100) {
        throw new IllegalArgumentException("nodeName must have 1 to 100 characters");
      }
      this.nodeName = name.replaceAll("[^A-Za-z0-9._:-]", "_");
      return this;
    }

    private static Duration bounded(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.toMillis() < 1 || d.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(name + " must be 1 ms to 1 minute: " + d);
      }
      return d;
    }

    /**
     * The settings.
     *
     * @throws IllegalStateException if no URI was given
     */
    public RedisSettings build() {
      if (uri == null) {
        throw new IllegalStateException("a Redis URI is required");
      }
      return new RedisSettings(this);
    }
  }
}
