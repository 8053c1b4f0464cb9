/**
 * Herald's demos, served together by {@link dev.herald.examples.Demos}; one package per demo.
 *
 * <p>Each demo follows the shape of Netty's examples: a main class ({@code *Demo}, which also
 * mounts the demo's routes), a handler ({@code *Handler}, an {@link dev.herald.server.SseHandler})
 * and a web page using {@code EventSource} (the class-path resource {@code
 * herald-examples/NAME/index.html}).
 *
 * <table>
 *   <caption>The demos</caption>
 *   <tr><th>name</th><th>shows</th></tr>
 *   <tr><td>{@code counter}</td><td>IDs and {@code retry}: the page's count survives a server
 *       restart</td></tr>
 *   <tr><td>{@code clock}</td><td>the simplest stream: a greeting, then the time</td></tr>
 *   <tr><td>{@code updates}</td><td>typed JSON events with IDs from a {@link
 *       dev.herald.server.Broadcaster}, replayed after a reconnection or a restart</td></tr>
 *   <tr><td>{@code progress}</td><td>a long job's progress; {@code 204} stops the reconnections
 *       once it is done</td></tr>
 *   <tr><td>{@code notifications}</td><td>a form posts, every open page receives</td></tr>
 *   <tr><td>{@code many}</td><td>ten event sources on one page: the browser's six connections
 *       per origin over HTTP/1.1</td></tr>
 * </table>
 *
 * <p>Every page records what its event sources report in a {@code window.heraldLog} array, which
 * the module's browser tests read.
 */
package dev.herald.examples;
