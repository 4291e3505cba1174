import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { DestinationStream } from 'pino';
import { loadAuditSigningKey } from '../audit/signing-key.ts';
import { createLogger } from '../telemetry/logger.ts';
import { runEventStoreContract, sampleEvent } from './event-store.contract.ts';
import { MIGRATIONS } from './migrations.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import type { EventStore, GatewayEvent } from './types.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

let dbCounter = 0;
let lastPath = '';
const quiet = createLogger({ level: 'silent' });

function freshPath(): string {
  lastPath = join(root, `db-${++dbCounter}`, 'events.sqlite');
  return lastPath;
}

function captureLogger(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let buffer = '';
  const stream: DestinationStream = { write: (chunk: string) => { buffer += chunk; } };
  return { logger: createLogger({ level: 'debug', destination: stream }), text: () => buffer };
}

const audit = { signingKey: loadAuditSigningKey(join(root, 'keys'), {}), checkpointEveryRecords: 100 };

runEventStoreContract(
  'sqlite',
  async () => createSqliteEventStore({ path: freshPath(), logger: quiet, flushIntervalMs: 10, audit }),
  { reopen: async () => createSqliteEventStore({ path: lastPath, logger: quiet, audit }) },
);

describe('sqlite event store', () => {
  test('crash safety: N appended events survive close and reopen', async () => {
    const path = freshPath();
    const n = 3_000;
    const store = createSqliteEventStore({ path, logger: quiet, maxBatch: 256 });
    for (let i = 0; i < n; i++) store.append(sampleEvent());
    await store.close();
    const again = createSqliteEventStore({ path, logger: quiet });
    assert.equal(await again.count(), n);
    await again.close();
  });

  test('crash safety: flushed events survive a process that exits without close', async () => {
    const path = freshPath();
    const module = fileURLToPath(new URL('./sqlite-event-store.ts', import.meta.url));
    const logger = fileURLToPath(new URL('../telemetry/logger.ts', import.meta.url));
    const script = `
      const { createSqliteEventStore } = await import(${JSON.stringify(module)});
      const { createLogger } = await import(${JSON.stringify(logger)});
      const store = createSqliteEventStore({ path: ${JSON.stringify(path)}, logger: createLogger({ level: 'silent' }) });
      for (let i = 0; i < 500; i++) store.append({ id: 'e' + i, requestId: 'r' + i, time: new Date().toISOString(), route: 'r', model: null, provider: null, policy: 'p', decision: 'allow', status: 200, findings: [], scanners: [], inputTokens: null, outputTokens: null, upstreamLatencyMs: null, totalLatencyMs: 1, streamed: false, content: null });
      await store.flush();
      process.exit(7);
    `;
    assert.throws(
      () => execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'pipe', cwd: fileURLToPath(new URL('../..', import.meta.url)) }),
      (err: { status?: number }) => err.status === 7,
    );
    const again = createSqliteEventStore({ path, logger: quiet });
    assert.equal(await again.count(), 500);
    await again.close();
  });

  test('creates the parent directory and uses WAL', async () => {
    const path = join(root, 'nested', 'deeper', 'events.sqlite');
    const store = createSqliteEventStore({ path, logger: quiet });
    await store.close();
    assert.ok(existsSync(path));
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  test('migrations are recorded once and are idempotent across opens', async () => {
    const path = freshPath();
    await createSqliteEventStore({ path, logger: quiet }).close();
    await createSqliteEventStore({ path, logger: quiet }).close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").all() as { name: string }[];
    assert.ok(indexes.some((i) => i.name === 'events_request_id'));
    db.close();
  });

  test('refuses a database written by a newer schema', async () => {
    const path = freshPath();
    await createSqliteEventStore({ path, logger: quiet }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, ?)').run('future', new Date().toISOString());
    db.close();
    assert.throws(() => createSqliteEventStore({ path, logger: quiet }), /newer than this build supports/);
  });

  test('append stays in memory until a flush', async () => {
    const store = createSqliteEventStore({ path: freshPath(), logger: quiet, flushIntervalMs: 10_000 });
    store.append(sampleEvent());
    assert.equal(await store.count(), 0);
    await store.flush();
    assert.equal(await store.count(), 1);
    await store.close();
  });

  test('a failing write keeps events queued, logs without content, and recovers', async () => {
    const path = freshPath();
    const log = captureLogger();
    const store = createSqliteEventStore({ path, logger: log.logger, flushIntervalMs: 5 });
    const side = new Database(path);
    // Renaming the table away makes every insert fail the way a broken database would.
    side.exec('ALTER TABLE events RENAME TO events_away');
    const secret = sampleEvent({ content: { request: 'TOP-SECRET-PROMPT' } });
    store.append(secret);
    await assert.rejects(store.flush(), /no such table/);
    // Let the background timer fail a few times too: it must not throw.
    await new Promise((resolve) => setTimeout(resolve, 60));
    side.exec('ALTER TABLE events_away RENAME TO events');
    side.close();
    await store.flush();
    assert.deepEqual(await store.get(secret.id), secret);
    await store.close();
    const text = log.text();
    assert.match(text, /event store write failed/);
    assert.match(text, /writes recovered/);
    assert.ok(!text.includes('TOP-SECRET-PROMPT'));
    // Rate limiting: one failure log for the whole streak.
    assert.equal(text.split('event store write failed').length - 1, 1);
  });

  test('close rejects while the database fails and succeeds once it recovers', async () => {
    const path = freshPath();
    const store = createSqliteEventStore({ path, logger: quiet, flushIntervalMs: 10_000 });
    const side = new Database(path);
    side.exec('ALTER TABLE events RENAME TO events_away');
    store.append(sampleEvent());
    await assert.rejects(store.close(), /could not write 1 queued events/);
    store.append(sampleEvent());
    side.exec('ALTER TABLE events_away RENAME TO events');
    side.close();
    await store.close();
    const again = createSqliteEventStore({ path, logger: quiet });
    assert.equal(await again.count(), 2);
    await again.close();
  });

  test('a malformed event is dropped without blocking its batch', async () => {
    const log = captureLogger();
    const store = createSqliteEventStore({ path: freshPath(), logger: log.logger });
    const good = sampleEvent();
    store.append({ ...sampleEvent(), status: 'nope' } as unknown as GatewayEvent);
    store.append(good);
    await store.flush();
    assert.equal(await store.count(), 1);
    assert.ok(await store.get(good.id));
    assert.match(log.text(), /malformed event/);
    await store.close();
  });

  test('list rejects an unparsable since', async () => {
    const store: EventStore = createSqliteEventStore({ path: ':memory:', logger: quiet });
    await assert.rejects(store.list({ since: 'yesterday-ish' }), /since is not a valid time/);
    await store.close();
  });

  test('queue is bounded while writes fail', async () => {
    const path = freshPath();
    const log = captureLogger();
    const store = createSqliteEventStore({ path, logger: log.logger, flushIntervalMs: 10_000, maxBatch: 10, maxQueued: 20 });
    const side = new Database(path);
    side.exec('ALTER TABLE events RENAME TO events_away');
    for (let i = 0; i < 50; i++) store.append(sampleEvent());
    await assert.rejects(store.flush());
    side.exec('ALTER TABLE events_away RENAME TO events');
    side.close();
    await store.close();
    const again = createSqliteEventStore({ path, logger: quiet });
    assert.equal(await again.count(), 20);
    await again.close();
    assert.match(log.text(), /"dropped":30/);
  });
});
