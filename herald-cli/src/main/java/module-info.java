/**
 * Herald's command line, run by the {@code ./herald} launcher: {@code herald parse} to read an
 * event stream as JSON lines, {@code herald sub} to subscribe to one, and the commands later
 * releases add. An application rather than a library, it exports nothing; it opens its package to
 * picocli, which fills the commands' annotated fields by reflection.
 */
module dev.herald.cli {
  requires dev.herald.core;
  requires dev.herald.client;
  requires dev.herald.hub;
  requires dev.herald.redis;
  requires java.net.http;
  requires dev.herald.examples;
  requires dev.herald.bench;
  requires info.picocli;
  requires com.fasterxml.jackson.core;

  opens dev.herald.cli to
      info.picocli;
}
