// An EventSource in Node (undici's; Node 20 needs --experimental-eventsource), for the Java tests.
// Usage: node --experimental-eventsource eventsource.mjs URL [TYPE...]
// Prints one JSON line per open, error, message and named TYPE event:
//   {"type":…,"data":…,"lastEventId":…,"readyState":…}
// Closes the EventSource and exits when its standard input ends.
const [url, ...types] = process.argv.slice(2);
const source = new EventSource(url);

function print(type, event) {
  const line = {
    type,
    data: event.data ?? null,
    lastEventId: event.lastEventId ?? null,
    readyState: source.readyState,
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

source.onopen = (event) => print('open', event);
source.onerror = (event) => print('error', event);
source.onmessage = (event) => print('message', event);
for (const type of types) {
  source.addEventListener(type, (event) => print(type, event));
}

process.stdin.on('end', () => {
  source.close();
  process.exit(0);
});
process.stdin.resume();
