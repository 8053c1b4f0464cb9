/**
 * Herald's classic demos, each a main class, a handler and a web page: a counter with {@code
 * retry}, a clock, typed JSON updates with IDs, a progress bar, a notifications feed, and a page
 * with ten event sources. {@link dev.herald.examples.Demos} serves them all on one port.
 *
 * <p>The web pages are class-path resources under {@code herald-examples/}, a name that is no Java
 * package, so the module system leaves them readable to the server's class loader.
 */
module dev.herald.examples {
  requires transitive dev.herald.server;
  requires org.slf4j;
  // Resolves BouncyCastle, which herald-server needs only optionally, for tlsSelfSigned().
  requires org.bouncycastle.pkix;

  exports dev.herald.examples;
  exports dev.herald.examples.clock;
  exports dev.herald.examples.counter;
  exports dev.herald.examples.many;
  exports dev.herald.examples.notifications;
  exports dev.herald.examples.progress;
  exports dev.herald.examples.updates;
}
