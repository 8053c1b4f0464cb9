package dev.herald.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts that make each multi-key step atomic in Redis. Keys: the stream, its epoch, the
 * ID lookup (a hash: update ID to stream ID, the earliest one) and its order (a sorted set: update
 * ID by its entry's milliseconds, to forget IDs as the stream is trimmed). Stream IDs are compared
 * by the helper {@code cmp}. Redis 7.0 or later ({@code XINFO STREAM}'s {@code entries-added} and
 * {@code max-deleted-entry-id}, {@code XSETID ... MAXDELETEDID}).
 *
 * <p>The last ID evicted ({@code info}'s {@code evicted}): Redis 7.0 records deletions ({@code
 * XDEL}, and the mark the epoch's beginning sets) in {@code max-deleted-entry-id}, but not
 * trimming. So when the stream has lost entries ({@code entries-added} greater than its length),
 * the ID just before its first entry (its last ID when it is empty) counts as evicted too: every
 * entry after it is held, and a reader after an earlier cursor is told of a gap (perhaps one entry
 * early, never late).
 */
final class Scripts {
  private static final String HELPERS =
      """
      local function parts(id)
        local ms, seq = string.match(id, '^(%d+)-(%d+)$')
        return tonumber(ms), tonumber(seq)
      end
      local function cmp(a, b)
        local ams, aseq = parts(a)
        local bms, bseq = parts(b)
        if ams ~= bms then return ams < bms and -1 or 1 end
        if aseq ~= bseq then return aseq < bseq and -1 or 1 end
        return 0
      end
      local function before(id)
        local ms, seq = string.match(id, '^(%d+)-(%d+)$')
        if seq ~= '0' then return ms .. '-' .. string.format('%d', tonumber(seq) - 1) end
        return string.format('%d', tonumber(ms) - 1) .. '-9223372036854775807'
      end
      local function info(key)
        if redis.call('EXISTS', key) == 0 then
          return {['last-generated-id'] = '0-0', ['evicted'] = '0-0'}
        end
        local flat = redis.call('XINFO', 'STREAM', key)
        local m = {}
        for i = 1, #flat, 2 do m[flat[i]] = flat[i + 1] end
        local evicted = m['max-deleted-entry-id']
        if m['entries-added'] > m['length'] then
          local gone = m['last-generated-id']
          if m['length'] > 0 then gone = before(m['first-entry'][1]) end
          if cmp(gone, evicted) > 0 then evicted = gone end
        end
        m['evicted'] = evicted
        return m
      end
      """;

  /**
   * Appends one update if the epoch is the one the node knows: XADD (trimmed by count) and record
   * the ID. Then, on every 32nd entry of a millisecond only (sequences 0, 32, 64…: under load most
   * appends skip it; a clock that went back keeps its turns), the upkeep: trim by age (the new ID's
   * milliseconds are Redis's clock) and, when the lookup holds more IDs than the stream holds
   * entries (two O(1) counts), forget the IDs of entries trimmed away, up to 100 — more than the 32
   * appends before the next upkeep can add, so the lookup keeps pace with the stream. KEYS: stream,
   * epoch, ids, order. ARGV: epoch, max entries (0: none), max age in ms (0: none), update ID, then
   * the entry's fields and values. Returns the stream ID.
   */
  static final Scripts APPEND =
      new Scripts(
          """
          if redis.call('GET', KEYS[2]) ~= ARGV[1] then
            return redis.error_reply('HERALDRESET the stream history was reset; retry')
          end
          local add = {'XADD', KEYS[1]}
          if ARGV[2] ~= '0' then
            add[#add + 1] = 'MAXLEN'; add[#add + 1] = '~'; add[#add + 1] = ARGV[2]
          end
          add[#add + 1] = '*'
          for i = 5, #ARGV do add[#add + 1] = ARGV[i] end
          local id = redis.call(unpack(add))
          local ms, seq = parts(id)
          if redis.call('HSETNX', KEYS[3], ARGV[4], id) == 1 then
            redis.call('ZADD', KEYS[4], ms, ARGV[4])
          end
          if seq % 32 ~= 0 then
            return id
          end
          local age = tonumber(ARGV[3])
          if age > 0 and ms > age then
            redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d', ms - age))
          end
          if redis.call('ZCARD', KEYS[4]) > redis.call('XLEN', KEYS[1]) then
            -- never empty: it holds the entry just added, which no trimming above removes
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            local below = '(' .. string.format('%d', parts(first[1][1]))
            local old = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', below, 'LIMIT', 0, 100)
            if #old > 0 then
              redis.call('HDEL', KEYS[3], unpack(old))
              redis.call('ZREM', KEYS[4], unpack(old))
            end
          end
          return id
          """);

  /**
   * A page of entries after a stream ID (exclusive) up to another, and the last ID deleted, read
   * after the page (so a gap is never missed). KEYS: stream. ARGV: after, up to, count. Returns
   * {last evicted, entries}.
   */
  static final Scripts READ =
      new Scripts(
          """
          local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], ARGV[2], 'COUNT', ARGV[3])
          return {info(KEYS[1])['evicted'], entries}
          """);

  /** The newest entry. KEYS: stream. Returns {last evicted, entries (0 or 1)}. */
  static final Scripts NEWEST =
      new Scripts(
          """
          local entries = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
          return {info(KEYS[1])['evicted'], entries}
          """);

  /**
   * The stream ID of an update ID, and the last ID deleted. KEYS: stream, ids. ARGV: update ID.
   * Returns {stream ID or '', last evicted}.
   */
  static final Scripts LOOKUP =
      new Scripts(
          """
          local id = redis.call('HGET', KEYS[2], ARGV[1])
          return {id or '', info(KEYS[1])['evicted']}
          """);

  /**
   * The stream's positions and epoch. KEYS: stream, epoch. Returns {last-generated-id, last
   * evicted, epoch or ''}.
   */
  static final Scripts POSITIONS =
      new Scripts(
          """
          local m = info(KEYS[1])
          return {m['last-generated-id'], m['evicted'],
              redis.call('GET', KEYS[2]) or ''}
          """);

  /**
   * The epoch, beginning a history if there is none: when the epoch or the stream is missing (first
   * start, or a history lost to a restart without persistence, FLUSHALL, DEL), creates an empty
   * stream if there is none, drops the ID lookup, marks everything up to the stream's last ID or
   * the floor (the furthest this node has seen), whichever is later, as deleted (every later ID is
   * after it; nothing before it counts as held), and sets the new epoch. When the epoch is set but
   * the stream is behind the floor (a history another node began after this node had read further),
   * moves it up alike. KEYS: stream, epoch, ids, order. ARGV: candidate epoch, floor ID. Returns
   * the epoch.
   */
  static final Scripts BEGIN =
      new Scripts(
          """
          local epoch = redis.call('GET', KEYS[2])
          local exists = redis.call('EXISTS', KEYS[1]) == 1
          if epoch and exists then
            local m = info(KEYS[1])
            if cmp(ARGV[2], m['last-generated-id']) > 0 then
              redis.call('XSETID', KEYS[1], ARGV[2], 'MAXDELETEDID', ARGV[2])
            end
            return epoch
          end
          local top = ARGV[2]
          if exists then
            local last = info(KEYS[1])['last-generated-id']
            if cmp(last, top) > 0 then top = last end
          else
            redis.call('XGROUP', 'CREATE', KEYS[1], 'herald-begin', '$', 'MKSTREAM')
            redis.call('XGROUP', 'DESTROY', KEYS[1], 'herald-begin')
            redis.call('DEL', KEYS[3], KEYS[4])
          end
          if top ~= '0-0' then
            redis.call('XSETID', KEYS[1], top, 'MAXDELETEDID', top)
          end
          epoch = ARGV[1]
          redis.call('SET', KEYS[2], epoch)
          return epoch
          """);

  private final String source;
  private final String sha;

  private Scripts(String body) {
    this.source = HELPERS + body;
    this.sha = sha1(source);
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /**
   * Runs the script by its SHA-1, sending its source only when Redis does not have it (first use,
   * or after a restart).
   */
  <T> CompletionStage<T> run(
      RedisAsyncCommands<String, String> redis,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    RedisFuture<T> bySha = redis.evalsha(sha, type, keys, args);
    return bySha
        .handle(
            (result, failure) -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof RedisNoScriptException) {
                RedisFuture<T> bySource = redis.eval(source, type, keys, args);
                return bySource.toCompletableFuture();
              }
              return failure == null
                  ? CompletableFuture.completedFuture(result)
                  : CompletableFuture.<T>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }
}
