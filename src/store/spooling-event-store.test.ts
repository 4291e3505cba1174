import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { VerifyResult } from '../audit/verify.ts';
import { createLogger } from '../telemetry/logger.ts';
import { createSpoolingEventStore } from './spooling-event-store.ts';
import type { AuditedEventStore, GatewayEvent } from './types.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function spoolPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-spooling-'));
  dirs.push(dir);
  return join(dir, 'spool', 'events.spool');
}

function event(n: number): GatewayEvent {
  return {
    id: `evt_${n}`, requestId: `req_${n}`, time: '2026-01-01T00:00:00.000Z', route: 'openai.chat', model: 'gpt-test', provider: 'p', policy: 'default',
    decision: 'allow', status: 200, findings: [], scanners: [], inputTokens: null, outputTokens: null, upstreamLatencyMs: null, totalLatencyMs: 1, streamed: false, content: { request: `text ${n}` },
  };
}

/** A memory store with a commitBatch that can fail, or commit and then fail (a lost acknowledgement); duplicate ids are ignored like the real stores. */
class FlakyStore implements AuditedEventStore {
  rows: GatewayEvent[] = [];
  ids = new Set<string>();
  down = false;
  loseAcks = 0;
  duplicatesIgnored = 0;
  closed = false;
  async commitBatch(events: readonly GatewayEvent[]): Promise<void> {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    for (const e of events) {
      if (this.ids.has(e.id)) {
        this.duplicatesIgnored++;
        continue;
      }
      this.ids.add(e.id);
      this.rows.push(e);
    }
    if (this.loseAcks > 0) {
      this.loseAcks--;
      throw new Error('connection lost before COMMIT was acknowledged');
    }
  }
  append(): void {
    throw new Error('the wrapper must use commitBatch');
  }
  async flush(): Promise<void> {}
  async get(id: string): Promise<GatewayEvent | null> {
    return this.rows.find((e) => e.id === id) ?? null;
  }
  async list(): Promise<GatewayEvent[]> {
    return [...this.rows];
  }
  async count(): Promise<number> {
    return this.rows.length;
  }
  async verifyChain(): Promise<VerifyResult> {
    throw new Error('not used');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const logger = createLogger({ level: 'silent' });

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('spooling event store', () => {
  it('passes events through while the store is up, leaving the spool empty', async () => {
    const inner = new FlakyStore();
    const store = await createSpoolingEventStore({ inner, path: spoolPath(), maxBytes: 1 << 20, onFull: 'keep-serving', logger, flushIntervalMs: 5 });
    for (let i = 0; i < 10; i++) store.append(event(i));
    await store.flush();
    assert.deepEqual(inner.rows.map((e) => e.id), Array.from({ length: 10 }, (_, i) => `evt_${i}`));
    assert.deepEqual(store.stats().spool, { bytes: 0, records: 0, maxBytes: 1 << 20, full: false });
    await store.close();
    assert.equal(inner.closed, true);
  });

  it('spools while the store is down and replays in order, before newer events, exactly once', async () => {
    const inner = new FlakyStore();
    const store = await createSpoolingEventStore({ inner, path: spoolPath(), maxBytes: 1 << 20, onFull: 'keep-serving', logger, flushIntervalMs: 5 });
    inner.down = true;
    for (let i = 0; i < 50; i++) store.append(event(i));
    await assert.rejects(store.flush(), /ECONNREFUSED/);
    await until(() => store.stats().spool!.records === 50);
    assert.equal(store.stats().queued, 0);
    assert.equal(store.stats().failing, true);
    inner.down = false;
    for (let i = 50; i < 60; i++) store.append(event(i));
    await store.flush();
    assert.deepEqual(inner.rows.map((e) => e.id), Array.from({ length: 60 }, (_, i) => `evt_${i}`));
    assert.equal(store.stats().spool!.records, 0);
    assert.equal(store.stats().failing, false);
    await store.close();
  });

  it('a lost commit acknowledgement is replayed and the duplicate ignored', async () => {
    const inner = new FlakyStore();
    const store = await createSpoolingEventStore({ inner, path: spoolPath(), maxBytes: 1 << 20, onFull: 'keep-serving', logger, flushIntervalMs: 5 });
    inner.loseAcks = 1;
    for (let i = 0; i < 5; i++) store.append(event(i));
    await assert.rejects(store.flush(), /acknowledged/);
    await store.flush();
    assert.equal(inner.rows.length, 5);
    assert.equal(inner.duplicatesIgnored, 5, 'the spooled copy was replayed and ignored by id');
    await store.close();
  });

  it('closing while the store is down keeps the events in the spool for the next start, replayed first', async () => {
    const path = spoolPath();
    const first = new FlakyStore();
    first.down = true;
    const store = await createSpoolingEventStore({ inner: first, path, maxBytes: 1 << 20, onFull: 'keep-serving', logger, flushIntervalMs: 5 });
    for (let i = 0; i < 20; i++) store.append(event(i));
    await store.close();
    assert.equal(first.rows.length, 0);
    const second = new FlakyStore();
    const reopened = await createSpoolingEventStore({ inner: second, path, maxBytes: 1 << 20, onFull: 'keep-serving', logger, flushIntervalMs: 5 });
    assert.equal(reopened.stats().spool!.records, 20);
    reopened.append(event(100));
    await reopened.flush();
    assert.deepEqual(second.rows.map((e) => e.id), [...Array.from({ length: 20 }, (_, i) => `evt_${i}`), 'evt_100']);
    await reopened.close();
  });

  it('keep-serving: beyond maxBytes events are dropped and counted, serving continues', async () => {
    const inner = new FlakyStore();
    inner.down = true;
    const store = await createSpoolingEventStore({ inner, path: spoolPath(), maxBytes: 64 * 1024, onFull: 'keep-serving', logger, flushIntervalMs: 5 });
    const n = 400; // ~330 bytes each: about 200 fit
    for (let i = 0; i < n; i++) store.append(event(i));
    await until(() => store.stats().queued === 0);
    const stats = store.stats();
    assert.ok(stats.spool!.bytes <= 64 * 1024);
    assert.equal(stats.spool!.full, true);
    assert.equal(stats.accepting, true);
    assert.equal(stats.spool!.records + stats.dropped, n);
    assert.ok(stats.dropped > 0);
    inner.down = false;
    await store.flush();
    assert.equal(inner.rows.length, stats.spool!.records);
    assert.equal(store.stats().spool!.full, false);
    await store.close();
  });

  it('fail-closed: not accepting while the spool is full, accepting again once it drains', async () => {
    const inner = new FlakyStore();
    inner.down = true;
    const store = await createSpoolingEventStore({ inner, path: spoolPath(), maxBytes: 64 * 1024, onFull: 'fail-closed', logger, flushIntervalMs: 5 });
    for (let i = 0; i < 400; i++) store.append(event(i));
    await until(() => store.isAccepting() === false);
    const stats = store.stats();
    assert.equal(stats.dropped, 0, 'fail-closed keeps what the spool cannot take in memory');
    assert.equal(stats.spool!.records + stats.queued, 400);
    inner.down = false;
    await store.flush();
    assert.equal(store.isAccepting(), true);
    assert.deepEqual(inner.rows.map((e) => e.id), Array.from({ length: 400 }, (_, i) => `evt_${i}`));
    await store.close();
  });

  it('fail-closed with the memory queue full too: the overflow is dropped and counted, flush still completes', async () => {
    const inner = new FlakyStore();
    inner.down = true;
    const store = await createSpoolingEventStore({ inner, path: spoolPath(), maxBytes: 64 * 1024, onFull: 'fail-closed', logger, flushIntervalMs: 5, maxBatch: 10, maxQueued: 20 });
    let n = 0;
    // Slow enough that the spool, not the memory queue, takes them until it is full.
    while (store.isAccepting() && n < 2_000) {
      store.append(event(n++));
      if (n % 5 === 0) await until(() => store.stats().queued === 0 || !store.isAccepting());
    }
    assert.equal(store.isAccepting(), false);
    assert.equal(store.stats().dropped, 0);
    for (let i = 0; i < 150; i++) store.append(event(n++));
    const stats = store.stats();
    assert.ok(stats.dropped > 0);
    assert.ok(stats.queued <= 20);
    inner.down = false;
    await store.flush();
    assert.equal(inner.rows.length + stats.dropped, n);
    const ids = inner.rows.map((e) => Number(e.id.slice(4)));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'stored in append order');
    await store.close();
  });
});
