/**
 * Herald's command line, built on picocli. {@link dev.herald.cli.HeraldCommand} is the {@code
 * herald} command and the entry point; each subcommand is a class of its own.
 *
 * <h2>Commands</h2>
 *
 * <dl>
 *   <dt>{@code herald parse FILE}, {@code herald parse -}
 *   <dd>Reads an event stream from a file or standard input and prints one JSON object per
 *       dispatched event, one per line, as soon as the event is dispatched:
 *       <pre>{@code
 * $ printf 'retry: 3000\nevent: add\nid: 7\ndata: 73857293\n\n' | ./herald parse -
 * {"type":"add","data":"73857293","lastEventId":"7","retry":3000}
 * }</pre>
 *       {@code type}, {@code data} and {@code lastEventId} are what a browser's {@code
 *       MessageEvent} reports; {@code retry} is the reconnection time in effect, in milliseconds,
 *       or {@code null} if the stream never set one.
 * </dl>
 *
 * <h2>Exit status</h2>
 *
 * <p>0 on success; 1 when the input cannot be read, the output cannot be written or the stream goes
 * past a limit (the message on standard error says which); 2 for a usage error.
 */
package dev.herald.cli;
