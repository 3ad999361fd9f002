// Imports one bundle with the network refused, then reports what the import tried to reach and
// what it left running. Run once per bundle before any timed import, so a handler that calls out
// at import is reported without anything reaching a network host.
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

const MARKER = 'BENCH_IMPORT_GUARD ';
const attempts = [];

function refuse(what) {
  return function refused(target) {
    attempts.push(`${what} ${describe(target)}`);
    throw new Error(`network access during import refused by the bench: ${what}`);
  };
}

function describe(target) {
  // net.connect hands Socket#connect its normalized [options, callback] pair.
  const value = Array.isArray(target) ? target[0] : target;
  if (value && typeof value === 'object') {
    const host = value.host ?? value.hostname ?? value.servername;
    if (host !== undefined || value.port !== undefined) return `${host ?? 'localhost'}:${value.port ?? ''}`;
    if (value.path !== undefined) return String(value.path);
  }
  return String(value);
}

// Every TCP and TLS client (http, https, http2, fetch) ends in Socket#connect.
net.Socket.prototype.connect = refuse('connect');
dgram.Socket.prototype.send = refuse('udp send');
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveSrv', 'resolveTxt']) {
  dns[name] = refuse(`dns.${name}`);
  dns.promises[name] = refuse(`dns.promises.${name}`);
}
syncBuiltinESMExports();

// A bundle that imports `node:process` initializes stdin, stdout and stderr (their pipes show up
// as active handles); open them first so only what the import itself starts is reported.
void [process.stdin, process.stdout, process.stderr];

let error;
try {
  await import(process.argv[2]);
} catch (thrown) {
  error = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
}
// Give work the import started without awaiting it (a fetch, a timer) time to show itself.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(MARKER + JSON.stringify({ attempts, error, resources: process.getActiveResourcesInfo() }));
process.exit(0);
