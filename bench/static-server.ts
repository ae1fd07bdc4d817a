/**
 * The ceiling: answers every request with the same full-record bytes, read once at start.
 * If the load generator cannot drive this far faster than the system under test, the load
 * generator is the bottleneck and the run says so.
 *
 * Env: PORT, BODY_FILE.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const body = readFileSync(process.env.BODY_FILE!);
const server = http.createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
