import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { chainedValues, chainHash } from '../audit/chain-format.mjs';
import { loadAuditSigningKey } from '../audit/signing-key.ts';
import { createLogger } from '../telemetry/logger.ts';
import { sampleEvent } from './event-store.contract.ts';
import { toRow } from './event-row.ts';
import { migrate, MIGRATIONS } from './migrations.ts';
import { createSqliteEventStore, injectWriterFaults } from './sqlite-event-store.ts';
import type { AuditChainOptions } from '../audit/options.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-audit-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger({ level: 'silent' });
const signingKey = loadAuditSigningKey(join(root, 'keys'), {});
let counter = 0;

/** A closed database holding `n` chained events; returns its path. */
async function chainedDatabase(n: number, audit: AuditChainOptions = { signingKey, checkpointEveryRecords: 25 }): Promise<string> {
  const path = join(root, `db-${++counter}`, 'events.sqlite');
  const store = createSqliteEventStore({ path, logger: quiet, audit, maxBatch: 10 });
  for (let i = 0; i < n; i++) store.append(sampleEvent({ content: { request: `prompt ${i}` } }));
  await store.close();
  return path;
}

/** Changes the database with a side connection, then verifies it through a fresh store. */
async function tamperAndVerify(path: string, sql: string) {
  const side = new Database(path);
  side.exec(sql);
  side.close();
  const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey } });
  try {
    return await store.verifyChain();
  } finally {
    await store.close();
  }
}

describe('sqlite audit chain', () => {
  test('rows carry seq 1..n and links; checkpoints every N records and on close', async () => {
    const path = await chainedDatabase(130);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM events ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: 130 }, (_, i) => i + 1));
    assert.equal(rows[0]!.prev_hash, '0'.repeat(64));
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
    const cps = db.prepare('SELECT seq, key_id FROM audit_checkpoints ORDER BY seq').all() as { seq: number; key_id: string }[];
    db.close();
    // Batches of 10: a checkpoint once 25 records have gathered (at 30, 60, 90, 120), and the head on close.
    assert.deepEqual(cps.map((c) => c.seq), [30, 60, 90, 120, 130]);
    assert.ok(cps.every((c) => c.key_id === signingKey.keyId));
  });

  test('a checkpoint is written T ms after uncovered records, without further writes', async () => {
    const path = join(root, `db-${++counter}`, 'events.sqlite');
    const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey, checkpointEveryRecords: 1_000, checkpointIntervalMs: 30 } });
    for (let i = 0; i < 5; i++) store.append(sampleEvent());
    await store.flush();
    const db = new Database(path, { readonly: true });
    const deadline = Date.now() + 20_000;
    let seqs: number[] = [];
    while (Date.now() < deadline) {
      seqs = db.prepare('SELECT seq FROM audit_checkpoints').pluck().all() as number[];
      if (seqs.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    db.close();
    assert.deepEqual(seqs, [5]);
    await store.close();
  });

  test('edited content is reported as edited at its seq', async () => {
    const path = await chainedDatabase(60);
    const result = await tamperAndVerify(path, "UPDATE events SET decision = 'allow', status = 201 WHERE seq = 17");
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems.map((p) => [p.partition, p.position, p.kind]), [['default', 17, 'edited']]);
  });

  test('a deleted row is reported as missing at its seq', async () => {
    const path = await chainedDatabase(60);
    const result = await tamperAndVerify(path, 'DELETE FROM events WHERE seq = 33');
    assert.deepEqual(result.problems.map((p) => [p.position, p.kind]), [[33, 'missing']]);
  });

  test('two rows whose positions were swapped are reported as reordered', async () => {
    const path = await chainedDatabase(60);
    const result = await tamperAndVerify(path, 'UPDATE events SET seq = -1 WHERE seq = 40; UPDATE events SET seq = 40 WHERE seq = 41; UPDATE events SET seq = 41 WHERE seq = -1;');
    assert.deepEqual(result.problems.map((p) => [p.position, p.kind]), [[40, 'reordered']]);
  });

  test('a rewritten tail is caught by the signed checkpoints', async () => {
    const path = await chainedDatabase(60);
    // Edit seq 45 and recompute every hash after it: the chain itself is consistent again,
    // but the checkpoint signed at seq 60 names the old head.
    const side = new Database(path);
    side.prepare('UPDATE events SET status = 299 WHERE seq = 45').run();
    const rows = side.prepare('SELECT * FROM events WHERE seq >= 45 ORDER BY seq').all() as Record<string, unknown>[];
    let prev = rows[0]!.prev_hash as string;
    const update = side.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const format = row.chain_format as 1 | 2;
      const hash = chainHash('default', row.seq as number, prev, chainedValues(row, format), format);
      update.run(prev, hash, row.seq);
      prev = hash;
    }
    side.close();
    const rewritten = await tamperAndVerify(path, 'SELECT 1');
    assert.deepEqual(rewritten.problems.map((p) => [p.position, p.kind]), [[60, 'bad-checkpoint']]);
  });

  test('a checkpoint altered without the key fails its signature', async () => {
    const path = await chainedDatabase(60);
    const forged = await tamperAndVerify(path, "UPDATE audit_checkpoints SET time = '2020-01-01T00:00:00.000Z' WHERE seq = 30");
    assert.deepEqual(forged.problems.map((p) => [p.position, p.kind]), [[30, 'bad-checkpoint']]);
    assert.match(forged.problems[0]!.detail, /invalid signature/);
  });

  test('a truncated tail is reported as missing after the last record', async () => {
    const path = await chainedDatabase(60);
    const result = await tamperAndVerify(path, 'DELETE FROM events WHERE seq > 55');
    assert.deepEqual(result.problems.map((p) => [p.position, p.kind]), [[56, 'missing']]);
  });

  test('verification ranges: --from/--to bound what is read', async () => {
    const path = await chainedDatabase(80);
    const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey } });
    const ranged = await store.verifyChain({ from: 11, to: 40 });
    assert.equal(ranged.ok, true, JSON.stringify(ranged.problems));
    assert.equal(ranged.records, 30);
    await store.close();
  });

  test('rows from before the chain (schema 1) stay readable and outside it; new rows chain from seq 1', async () => {
    const path = join(root, `db-${++counter}`, 'events.sqlite');
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 1));
    const legacy = { ...toRow(sampleEvent()) } as Record<string, unknown>;
    for (const column of ['partition', 'project', 'key_id', 'content_mode']) delete legacy[column];
    old.prepare(`INSERT INTO events (${Object.keys(legacy).join(', ')}) VALUES (${Object.keys(legacy).map((k) => `@${k}`).join(', ')})`).run(legacy);
    old.close();
    const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey } });
    for (let i = 0; i < 5; i++) store.append(sampleEvent());
    await store.flush();
    assert.equal(await store.count(), 6);
    assert.ok(await store.get(legacy.id as string));
    const result = await store.verifyChain();
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.records, 5);
    await store.close();
  });

  test('a batch re-sent after the writer died before committing chains once', async () => {
    const path = join(root, `db-${++counter}`, 'events.sqlite');
    const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey } });
    injectWriterFaults(store, ['crash-before-commit', 'fail-write']);
    for (let i = 0; i < 40; i++) store.append(sampleEvent());
    await store.flush().catch(() => {});
    await store.flush();
    const result = await store.verifyChain();
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.records, 40);
    await store.close();
  });
});
