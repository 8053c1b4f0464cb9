/**
 * Herald's SSE load generator and its scenarios.
 *
 * <p>Load processes ({@link dev.herald.bench.load.LoadWorker}, child JVMs on Netty's native epoll
 * transport) hold the subscribers — at most about 19,000 each, since a process may hold 20,000 open
 * files here, bound to source addresses 127.0.0.2–127.0.0.9 — and the publisher. A subscriber reads
 * its response byte by byte ({@code SseEventReader}: no string per line or event), counts events,
 * reads the timestamp and sequence number of each event's data, records latency in an HdrHistogram,
 * and checks its sequence for gaps and duplicates ({@code SequenceTracker}). The publisher follows
 * an open-loop, absolute schedule ({@code OpenLoopSchedule}) over HTTP/1.1 keep-alive connections
 * with pipelined requests, and stamps each event with its scheduled time, so that a stalled server
 * shows as latency (no coordinated omission). Targets are URL templates ({@link
 * dev.herald.bench.load.UrlTemplate}), so one scenario drives Herald and each reference server.
 *
 * <p>The generator checks itself: each saturation point is probed with the publisher's window,
 * twice it and it again, and what the generator can offer is shown on a channel nobody reads, so
 * the report can tell a server that does not take from a generator that does not offer; {@code
 * calibrate} compares its subscribers with the C client {@code sseload}. Before each scenario and
 * point the bench waits, bounded, for the machine's {@code TIME_WAIT} sockets to drain ({@code
 * TimeWait}); on Herald's targets it reads Herald's own part of each latency from {@code /metrics}
 * ({@code DispatchLatency}).
 *
 * <p>{@link dev.herald.bench.load.Bench} runs a scenario or {@code compare} and writes the report;
 * {@code ./herald bench} is its command line.
 */
package dev.herald.bench.load;
