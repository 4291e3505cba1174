// The floor for bench:gateway: a pass-through proxy with no parsing, scanning, policy or audit
// (node:http server -> undici keep-alive pool -> upstream), so the benchmark can show how much of the
// gateway's added latency any Node.js proxy hop on this machine pays. Not part of the product.
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { BenchArgs } from './args.ts';

const args = new BenchArgs();
const port = args.number('port', Number.NaN);
const upstream = args.string('upstream');
if (!Number.isInteger(port) || !upstream) {
  console.error('usage: bare-proxy.ts --port=N --upstream=http://host:port');
  process.exit(2);
}
const pool = new Pool(upstream, { connections: 64, keepAliveTimeout: 30_000 });

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    pool
      .request({ method: req.method as 'POST', path: req.url ?? '/', body: Buffer.concat(chunks), headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } })
      .then(async (response) => {
        const body = Buffer.from(await response.body.arrayBuffer());
        res.writeHead(response.statusCode, { 'content-type': String(response.headers['content-type'] ?? 'application/json'), 'content-length': body.length });
        res.end(body);
      })
      .catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  });
}).listen(port, '127.0.0.1');
