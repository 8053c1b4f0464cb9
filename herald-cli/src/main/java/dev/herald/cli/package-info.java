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
 *   <dt>{@code herald sub [URL] [--json] [--header 'Name: value']... [--last-event-id ID]
 *       [--max-line-bytes N] [--max-event-bytes N] [--hub URL] [--match TOPIC]...
 *       [--match-urlpattern PATTERN]...}
 *   <dd>Subscribes with Herald's {@code EventSource} and prints each event as it arrives, in the
 *       event-stream format ({@code event:}, {@code id:} when not empty, {@code data:} lines, a
 *       blank line) or, with {@code --json}, in the JSON lines of {@code parse}, by the same rule
 *       ({@code retry} is {@code null} until the stream sets one), with a line {@code
 *       {"type":"open","data":null,…,"url":URL}} each time a connection opens. It says {@code
 *       connected to URL} on standard error when a stream opens, names the cause of a network
 *       error, takes the limits of {@code parse} (16 MiB of line, 64 MiB of event by default),
 *       reconnects as the client does, and exits when the connection fails for good: status 0 when
 *       the server answers 204 No Content, 1 otherwise. Without {@code URL} it subscribes to the
 *       Mercure hub at {@code --hub} ({@code HubUrl}: the option, else {@code HERALD_HUB_URL}, else
 *       the 8080 hub, as {@code pub} and {@code token}) with {@code --match} and {@code
 *       --match-urlpattern}, every topic ({@code match=*}) if neither is given.
 *   <dt>{@code herald demo [NAME...] [--port PORT] [--host ADDRESS] [--tls] [--data DIR]}
 *   <dd>Serves the demos of {@code herald-examples} (counter, clock, updates, progress,
 *       notifications, many), each at {@code /NAME/} with an index page at {@code /}, until the
 *       process is stopped; prints the addresses to open. {@code --tls} serves HTTPS with a
 *       self-signed certificate, so that browsers use HTTP/2. Status 1 when the port cannot be
 *       bound.
 * </dl>
 *
 * <h2>Exit status</h2>
 *
 * <p>0 on success; 1 when the input cannot be read, the output cannot be written or the stream goes
 * past a limit (the message on standard error says which); 2 for a usage error.
 */
package dev.herald.cli;
