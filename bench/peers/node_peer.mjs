// Peer client for bench/run.sh: Node's `eventsource` package decoding the
// same stream as companion-core. It only parses each frame's JSON; it prints
// `open` once connected and `mark <finding_id> <frames>` for every
// `finding_assigned` whose finding id starts with the marker prefix.
//
// usage: node node_peer.mjs <server url> <token> <marker prefix>
import { EventSource } from 'eventsource';

const [server, token, prefix] = process.argv.slice(2);
let frames = 0;
const es = new EventSource(`${server}/api/v1/events`, {
  fetch: (input, init) =>
    fetch(input, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } }),
});
es.addEventListener('ping', () => process.stdout.write('open\n'));
es.onmessage = (event) => {
  frames += 1;
  let value;
  try {
    value = JSON.parse(event.data);
  } catch {
    return;
  }
  const id = value?.payload?.finding_id;
  if (value.type === 'finding_assigned' && typeof id === 'string' && id.startsWith(prefix)) {
    process.stdout.write(`mark ${id} ${frames}\n`);
  }
};
es.onerror = (error) => process.stderr.write(`node peer: ${error?.message ?? error}\n`);
process.on('SIGTERM', () => {
  es.close();
  process.exit(0);
});
