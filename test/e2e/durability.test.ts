// Issue 7 acceptance: no acknowledged event is lost when PostgreSQL becomes unreachable mid-load.
// The machine's PostgreSQL keeps running (other tests use it): the gateway reaches it through a
// TCP forwarder started here, which is killed and restored mid-load.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import pg from 'pg';
import { POSTGRES_TEST_URL, servicesAvailable, skipOrFail } from '../support/services.ts';
import { startHarness } from './harness.ts';

const service = await servicesAvailable('postgres');
const schema = `bulwark_durability_${randomBytes(4).toString('hex')}`;
const failClosedSchema = `${schema}_fc`;

/** A tiny TCP forwarder to PostgreSQL that can be cut (listener closed, every connection destroyed) and restored on the same port. */
class Forwarder {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

after(async () => {
  if (!service.ok) return;
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS ${failClosedSchema} CASCADE`);
  await client.end();
});

test('durability: every acknowledged request has its event exactly once after PostgreSQL comes back, and the chain verifies', { timeout: 120_000 }, async (t) => {
  if (!service.ok) return skipOrFail(t, service.reason);
  const target = new URL(POSTGRES_TEST_URL);
  const forwarder = new Forwarder({ host: target.hostname, port: Number(target.port || 5432) });
  await forwarder.start();
  const viaForwarder = new URL(POSTGRES_TEST_URL);
  viaForwarder.hostname = '127.0.0.1';
  viaForwarder.port = String(forwarder.port);
  const logLines: string[] = [];
  const harness = await startHarness({ storage: { kind: 'postgres', flushIntervalMs: 10, postgres: { url: viaForwarder.toString(), schema, poolSize: 2 }, spool: { enabled: true } }, logLines });
  const store = harness.gateway.gateway.store;
  try {
    const total = 600;
    const concurrency = 8;
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let maxSpooled = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const n = next++;
        if (n === 200) await forwarder.cut();
        if (n === 450) await forwarder.start();
        const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: `durability request ${n}` }] }),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const id = response.headers.get('x-bulwark-event-id');
        if (id !== null) acknowledged.push(id);
        maxSpooled = Math.max(maxSpooled, store.stats?.().spool?.records ?? 0);
        // Keep the outage long enough for the spool to see traffic.
        if (n >= 200 && n < 450) await new Promise((r) => setTimeout(r, 2));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    assert.deepEqual([...statuses], [[200, total]], 'every request was answered 200 while the store was down (keep-serving)');
    assert.equal(acknowledged.length, total);
    assert.ok(maxSpooled > 0, 'events went through the spool during the outage');
    t.diagnostic(`${total} requests answered; spool peaked at ${maxSpooled} records during the outage`);

    // Recovery: flush retries until the replay is through.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await store.flush();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.equal(store.stats?.().spool?.records, 0, 'spool drained');

    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${schema}.events`);
      const stored = rows.map((r) => r.id).sort();
      assert.equal(new Set(stored).size, stored.length, 'no event stored twice');
      const storedSet = new Set(stored);
      const ackSet = new Set(acknowledged);
      const missing = acknowledged.filter((id) => !storedSet.has(id));
      const extra = stored.filter((id) => !ackSet.has(id));
      if (missing.length > 0) console.error(logLines.filter((l) => !l.includes('"level":20') && !l.includes('"level":30')).slice(0, 40).join(''), store.stats?.());
      assert.deepEqual({ missing: missing.length, extra: extra.length, stored: stored.length }, { missing: 0, extra: 0, stored: total }, 'every acknowledged event is stored, and nothing else');
      const seqs = await client.query<{ n: string; max: string }>(`SELECT count(*) AS n, max(seq) AS max FROM ${schema}.events`);
      assert.equal(Number(seqs.rows[0]!.n), total);
      assert.equal(Number(seqs.rows[0]!.max), total, 'seq has no gaps');
    } finally {
      await client.end();
    }
    const verified = await (store as unknown as { verifyChain(): Promise<{ ok: boolean; records: number; problems: unknown[] }> }).verifyChain();
    assert.deepEqual(verified.problems, []);
    assert.equal(verified.ok, true);
    assert.equal(verified.records, total);
  } finally {
    await harness.close();
    await forwarder.cut();
  }
});

test('fail-closed: with PostgreSQL unreachable and the spool full, requests get 503 BULWARK_AUDIT_UNAVAILABLE until it drains', { timeout: 60_000 }, async (t) => {
  if (!service.ok) return skipOrFail(t, service.reason);
  const target = new URL(POSTGRES_TEST_URL);
  const forwarder = new Forwarder({ host: target.hostname, port: Number(target.port || 5432) });
  await forwarder.start();
  const url = new URL(POSTGRES_TEST_URL);
  url.hostname = '127.0.0.1';
  url.port = String(forwarder.port);
  const harness = await startHarness({ storage: { kind: 'postgres', flushIntervalMs: 10, postgres: { url: url.toString(), schema: failClosedSchema, poolSize: 2 }, spool: { enabled: true, maxBytes: 64 * 1024, onFull: 'fail-closed' } } });
  const store = harness.gateway.gateway.store;
  const ask = async (n: number): Promise<{ status: number; code: string | null; id: string | null }> => {
    const response = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: `fail-closed request ${n} ${'x'.repeat(500)}` }] }),
    });
    const body = (await response.json()) as { error?: { code?: string } };
    return { status: response.status, code: body.error?.code ?? null, id: response.headers.get('x-bulwark-event-id') };
  };
  try {
    assert.equal((await ask(0)).status, 200);
    await forwarder.cut();
    const acknowledged: string[] = [];
    let refused: { status: number; code: string | null } | null = null;
    for (let n = 1; n < 2000 && refused === null; n++) {
      const answer = await ask(n);
      if (answer.status === 200) acknowledged.push(answer.id!);
      else refused = answer;
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.deepEqual(refused, { status: 503, code: 'BULWARK_AUDIT_UNAVAILABLE', id: null });
    assert.equal(store.isAccepting?.(), false);
    assert.equal(store.stats?.().dropped, 0);
    t.diagnostic(`${acknowledged.length} requests served before the 64 KiB spool filled`);
    await forwarder.start();
    const deadline = Date.now() + 30_000;
    while (store.isAccepting?.() === false && Date.now() < deadline) {
      await store.flush().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await ask(9999)).status, 200, 'serving again once the spool drained');
    await store.flush();
    for (const id of acknowledged) assert.notEqual(await store.get(id), null, `acknowledged event ${id} stored`);
  } finally {
    await harness.close();
    await forwarder.cut();
  }
});
