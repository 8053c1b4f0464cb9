/**
 * The server-sent events wire format, exact to the WHATWG HTML standard (section 9.2), shared by
 * Herald's server, client and hub.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * // Producing: values are checked when built, so no event can inject fields.
 * SseEvent event = SseEvent.builder().type("update").id("42").data("line 1\nline 2").build();
 * byte[] wire = SseWriter.encode(event);
 * // event: update\nid: 42\ndata: line 1\ndata: line 2\n\n
 *
 * // Consuming: feed bytes as they arrive, in any chunking.
 * SseParser parser = new SseParser(e -> System.out.println(e.type() + " " + e.data()));
 * parser.feed(wire);
 * parser.end();
 * }</pre>
 *
 * <h2>Glossary</h2>
 *
 * <dl>
 *   <dt>block
 *   <dd>The lines up to a blank line; the blank line dispatches them as one event.
 *   <dt>last event ID
 *   <dd>The value of the latest {@code id} field as of the latest blank line. It persists across
 *       events and reconnections, and a client sends it as {@code Last-Event-ID} to resume.
 *   <dt>reconnection time
 *   <dd>How long a client waits before reconnecting; a stream sets it with {@code retry}.
 * </dl>
 *
 * <h2>FAQ</h2>
 *
 * <p><b>Why does the parser report CRLF data as LF?</b> Every line of a {@code data} field is
 * joined with LF (S-21), whatever line break the stream used; the writer accepts any.
 *
 * <p><b>What happens with a huge line?</b> The parser throws {@link
 * dev.herald.core.SseLimitExceededException} naming the limit instead of buffering without bound.
 */
package dev.herald.core;
