import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { runExport } from './export.ts';
import { fixtureSource } from './fixtures.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, verifySignature, webhookSink } from './webhook.ts';

const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  status: number;
  body: string;
  signature: string | undefined;
  key: string | undefined;
  valid: boolean;
}

async function receiver(statuses: number[]): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const signature = req.headers[SIGNATURE_HEADER] as string | undefined;
    const status = statuses.shift() ?? 200;
    received.push({ status, body, signature, key: req.headers[IDEMPOTENCY_HEADER] as string | undefined, valid: verifySignature(SECRET, signature, body) });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, received };
}

describe('webhook sink', () => {
  it('signs t.body with HMAC-SHA256 and rejects tampering, other secrets and stale times', () => {
    const header = signBody(SECRET, 1_760_000_000, 'body');
    assert.match(header, /^t=1760000000,v1=[0-9a-f]{64}$/);
    assert.equal(verifySignature(SECRET, header, 'body', 1_760_000_010), true);
    assert.equal(verifySignature(SECRET, header, 'body!', 1_760_000_010), false);
    assert.equal(verifySignature('another-secret-0123456789', header, 'body', 1_760_000_010), false);
    assert.equal(verifySignature(SECRET, header, 'body', 1_760_000_000 + 301), false);
    assert.equal(verifySignature(SECRET, undefined, 'body'), false);
  });

  it('retries a batch after a 500 with back-off, same idempotency key, fresh valid signature', async () => {
    const { server, url, received } = await receiver([500, 503]);
    const retries: number[] = [];
    try {
      const sink = webhookSink({ url, secret: SECRET, contentType: 'application/x-ndjson', batchSize: 2, baseDelayMs: 20, onRetry: (info) => retries.push(info.delayMs) });
      const started = Date.now();
      const summary = await runExport(fixtureSource(), { format: 'jsonl', sink });
      assert.equal(summary.lines, 3);
      assert.ok(Date.now() - started >= 60, 'waited 20 + 40 ms');
      assert.deepEqual(retries, [20, 40]);
      assert.deepEqual(received.map((r) => r.status), [500, 503, 200, 200]);
      assert.ok(received.every((r) => r.valid), 'every try carries a valid signature');
      assert.equal(received[0]!.key, received[2]!.key, 'a retried batch keeps its idempotency key');
      assert.equal(received[0]!.body, received[2]!.body);
      assert.notEqual(received[2]!.key, received[3]!.key);
      const delivered = [received[2]!, received[3]!].flatMap((r) => r.body.trim().split('\n').map((l) => JSON.parse(l).id as string));
      assert.deepEqual(delivered, ['evt_0003', 'evt_0001', 'evt_0002']);
      assert.equal(sink.batches, 2);
    } finally {
      server.close();
    }
  });

  it('gives up after maxAttempts, and at once on a 400', async () => {
    const { server, url, received } = await receiver([500, 500, 400]);
    try {
      const sink = webhookSink({ url, secret: SECRET, contentType: 'application/x-ndjson', maxAttempts: 2, baseDelayMs: 1 });
      await assert.rejects(runExport(fixtureSource(), { format: 'jsonl', sink }), /not delivered after 2 tries \(last: 500\)/);
      const again = webhookSink({ url, secret: SECRET, contentType: 'application/x-ndjson', maxAttempts: 5, baseDelayMs: 1 });
      await assert.rejects(runExport(fixtureSource(), { format: 'jsonl', sink: again }), /answered 400 \(not retryable\)/);
      assert.equal(received.length, 3);
    } finally {
      server.close();
    }
  });
});
