import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { DestinationStream } from 'pino';
import { createLogger } from '../telemetry/logger.ts';
import { sampleEvent } from './event-store.contract.ts';
import { createSqliteEventStore, injectWriterFaults } from './sqlite-event-store.ts';
import type { EventStore } from './types.ts';

// The writer-thread side of the SQLite store: commit-before-resolve, failures, thread
// deaths, shutdown. The behaviour every store shares is in event-store.contract.ts.

const root = mkdtempSync(join(tmpdir(), 'bulwark-writer-'));
after(() => rmSync(root, { recursive: true, force: true }));
const repo = fileURLToPath(new URL('../..', import.meta.url));
const quiet = createLogger({ level: 'silent' });

let dbCounter = 0;
function freshPath(): string {
  return join(root, `db-${++dbCounter}`, 'events.sqlite');
}

function captureLogger(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let buffer = '';
  const stream: DestinationStream = { write: (chunk: string) => { buffer += chunk; } };
  return { logger: createLogger({ level: 'debug', destination: stream }), text: () => buffer };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function countIn(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('sqlite event store: writer thread', () => {
  test('flush resolves only once the writer has committed; the events are then readable', async () => {
    const path = freshPath();
    const store = createSqliteEventStore({ path, logger: quiet, flushIntervalMs: 60_000 });
    const events = [sampleEvent(), sampleEvent(), sampleEvent()];
    // Another connection holds the write lock, so the writer thread waits on its busy timeout.
    const lock = new Database(path);
    lock.exec('BEGIN IMMEDIATE');
    for (const event of events) store.append(event);
    let flushed = false;
    const flushing = store.flush().then(() => {
      flushed = true;
    });
    await sleep(150);
    assert.equal(flushed, false, 'flush must wait for the commit');
    assert.equal(await store.count(), 0);
    lock.exec('COMMIT');
    lock.close();
    await flushing;
    assert.deepEqual((await store.list()).map((e) => e.id), events.map((e) => e.id).reverse());
    assert.equal(countIn(path), events.length, 'committed, not just visible to the store');
    await store.close();
  });

  test('events appended while close() is under way are written too', async () => {
    const path = freshPath();
    const store = createSqliteEventStore({ path, logger: quiet });
    store.append(sampleEvent());
    const closing = store.close();
    const late = sampleEvent();
    store.append(late);
    await closing;
    assert.throws(() => store.append(sampleEvent()), /closed/);
    const again = createSqliteEventStore({ path, logger: quiet });
    assert.equal(await again.count(), 2);
    assert.deepEqual(await again.get(late.id), late);
    await again.close();
  });

  test('a failed write rejects flush, keeps the batch and recovers in the background', async () => {
    const log = captureLogger();
    const store = createSqliteEventStore({ path: freshPath(), logger: log.logger, flushIntervalMs: 5 });
    injectWriterFaults(store, ['fail-write', 'fail-write', 'fail-write']);
    const events = Array.from({ length: 150 }, () => sampleEvent({ content: { request: 'TOP-SECRET-PROMPT' } }));
    for (const event of events) store.append(event);
    await assert.rejects(store.flush(), (err: Error & { code?: string }) => /injected write failure/.test(err.message) && err.code === 'SQLITE_IOERR');
    // No flush from here on: the retry timer alone must get everything written.
    await eventually(async () => (await store.count()) === events.length);
    assert.deepEqual(await store.get(events[0]!.id), events[0]);
    await store.close();
    const text = log.text();
    assert.equal(occurrences(text, 'event store write failed'), 1, 'one error line per failure streak');
    assert.match(text, /"failures":3[^\n]*writes recovered/);
    assert.ok(!text.includes('TOP-SECRET-PROMPT'));
  });

  test('a writer thread that dies before committing is restarted and the batch re-sent', async () => {
    const log = captureLogger();
    const store = createSqliteEventStore({ path: freshPath(), logger: log.logger, flushIntervalMs: 60_000 });
    injectWriterFaults(store, ['crash-before-commit']);
    const events = Array.from({ length: 250 }, () => sampleEvent());
    for (const event of events) store.append(event);
    // One death is retried at once, so this flush still succeeds.
    await store.flush();
    assert.equal(await store.count(), events.length);
    assert.deepEqual(await store.get(events[0]!.id), events[0]);
    await store.close();
    const text = log.text();
    assert.match(text, /"exitCode":1[^\n]*injected writer crash before commit[^\n]*"unacknowledged":100[^\n]*writer thread died/);
    assert.ok(!text.includes('event store write failed'));
  });

  test('a writer thread that dies after committing: the re-sent batch is not written twice', async () => {
    const log = captureLogger();
    const store = createSqliteEventStore({ path: freshPath(), logger: log.logger, flushIntervalMs: 60_000 });
    injectWriterFaults(store, ['crash-after-commit']);
    const events = Array.from({ length: 150 }, () => sampleEvent());
    for (const event of events) store.append(event);
    await store.flush();
    assert.equal(await store.count(), events.length);
    // The re-sent batch found its rows already chained: no second seq, no fork.
    const chain = await store.verifyChain();
    assert.equal(chain.ok, true, JSON.stringify(chain.problems));
    assert.equal(chain.records, events.length);
    await store.close();
    const text = log.text();
    assert.match(text, /writer thread died/);
    assert.match(text, /"duplicates":100[^\n]*re-sent batch was partly or wholly written already/);
    assert.ok(!text.includes('ignored events whose id already exists'), 'a re-send is not reported as duplicate ids');
  });

  test('a writer thread that keeps dying fails flush, then recovers with back-off', async () => {
    const log = captureLogger();
    const store = createSqliteEventStore({ path: freshPath(), logger: log.logger, flushIntervalMs: 5 });
    injectWriterFaults(store, ['crash-before-commit', 'crash-before-commit', 'crash-before-commit']);
    const events = Array.from({ length: 20 }, () => sampleEvent());
    for (const event of events) store.append(event);
    await assert.rejects(store.flush(), /writer thread exited with code 1/);
    await eventually(async () => (await store.count()) === events.length);
    await store.close();
    const text = log.text();
    assert.equal(occurrences(text, 'writer thread died'), 3);
    assert.match(text, /writes recovered/);
  });

  test(':memory: works across the two connections and leaves no file behind', async () => {
    const dir = join(root, 'tmp-for-memory');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const saved = process.env.TMPDIR;
    // os.tmpdir() reads TMPDIR on every call, so the private file lands where this test can see it.
    process.env.TMPDIR = dir;
    let store: EventStore;
    try {
      store = createSqliteEventStore({ path: ':memory:', logger: quiet });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    assert.equal(readdirSync(dir).length, 1);
    const event = sampleEvent();
    store.append(event);
    await store.flush();
    assert.deepEqual(await store.get(event.id), event);
    await store.close();
    assert.deepEqual(readdirSync(dir), []);
  });

  test('the process exits by itself after close(), and an unclosed idle store does not hold it open', () => {
    const closedPath = freshPath();
    const openPath = freshPath();
    const module = fileURLToPath(new URL('./sqlite-event-store.ts', import.meta.url));
    const script = `
      const { createSqliteEventStore } = await import(${JSON.stringify(module)});
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const event = (i) => ({ id: 'e' + i, requestId: 'r' + i, time: new Date().toISOString(), route: 'r', model: null, provider: null, policy: 'p', decision: 'allow', status: 200, findings: [], scanners: [], inputTokens: null, outputTokens: null, upstreamLatencyMs: null, totalLatencyMs: 1, streamed: false, content: null });
      const store = createSqliteEventStore({ path: ${JSON.stringify(closedPath)}, logger });
      for (let i = 0; i < 300; i++) store.append(event(i));
      await store.close();
      const left = createSqliteEventStore({ path: ${JSON.stringify(openPath)}, logger });
      left.append(event(1));
      // An awaited flush keeps the process alive until it resolves...
      await left.flush();
      console.log('done');
      // ...but the idle writer thread of a store nobody closed must not.
    `;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.signal, null, `the process hung: ${result.stderr}`);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'done');
    assert.ok(Date.now() - started < 15_000);
    // Checked before countIn opens the file again (a read-only connection recreates the WAL).
    assert.ok(!existsSync(`${closedPath}-wal`), 'close() checkpoints the WAL away');
    assert.equal(countIn(closedPath), 300);
    assert.equal(countIn(openPath), 1);
  });

  test("the writer thread loads when tsx is installed with register(), as bin/bulwark.js does", () => {
    const path = freshPath();
    const module = new URL('./sqlite-event-store.ts', import.meta.url).href;
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const { createSqliteEventStore } = await import(${JSON.stringify(module)});
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const store = createSqliteEventStore({ path: ${JSON.stringify(path)}, logger });
      store.append({ id: 'e1', requestId: 'r1', time: new Date().toISOString(), route: 'r', model: null, provider: null, policy: 'p', decision: 'allow', status: 200, findings: [], scanners: [], inputTokens: null, outputTokens: null, upstreamLatencyMs: null, totalLatencyMs: 1, streamed: false, content: null });
      await store.flush();
      console.log(await store.count());
      await store.close();
    `;
    // No --import tsx here: only the programmatic register(), whose hooks a worker would not inherit.
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), '1');
  });
});
