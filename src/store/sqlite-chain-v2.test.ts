import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { chainedValues, chainHash, contentDigest, GENESIS_HASH } from '../audit/chain-format.mjs';
import { loadAuditSigningKey, loadAuditVerifyKey } from '../audit/signing-key.ts';
import { verifyChain } from '../audit/verify.ts';
import { createLogger } from '../telemetry/logger.ts';
import { sampleEvent } from './event-store.contract.ts';
import { toRow } from './event-row.ts';
import { migrate, MIGRATIONS } from './migrations.ts';
import { sqliteChainSource } from './sqlite-chain-source.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { exportRecords } from '../audit/export/records.ts';

// Chain format v2 (content committed by digest) and parallel verification on a real SQLite file.
const root = mkdtempSync(join(tmpdir(), 'bulwark-chain-v2-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger({ level: 'silent' });
const keyDir = join(root, 'keys');
const signingKey = loadAuditSigningKey(keyDir, {});
const verifyKey = loadAuditVerifyKey(keyDir, {});
let counter = 0;

async function chainedDatabase(n: number): Promise<string> {
  const path = join(root, `db-${++counter}`, 'events.sqlite');
  const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey, checkpointEveryRecords: 50 }, maxBatch: 100 });
  for (let i = 0; i < n; i++) store.append(sampleEvent({ content: { request: `prompt ${i}` }, contentMode: 'redacted', project: 'prj_a', keyId: 'key_1' }));
  await store.close();
  return path;
}

/** Verifies the file sequentially and with workers (ranges of 100 records); both must agree. */
async function verifyBoth(path: string, sql = 'SELECT 1') {
  const side = new Database(path);
  side.exec(sql);
  side.close();
  const db = new Database(path, { readonly: true });
  try {
    const sequential = await verifyChain(sqliteChainSource(db), { verifyKey, workers: 0 });
    const parallel = await verifyChain(sqliteChainSource(db), { verifyKey, workers: 3, minParallelRecords: 200 });
    return { sequential, parallel };
  } finally {
    db.close();
  }
}

describe('audit chain v2 on SQLite', () => {
  test('new rows are format 2 with a content digest, project and key id chained', async () => {
    const path = await chainedDatabase(3);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM events ORDER BY seq').all() as Record<string, unknown>[];
    db.close();
    assert.deepEqual(rows.map((r) => r.chain_format), [2, 2, 2]);
    const first = rows[0]!;
    assert.equal(first.content_digest, contentDigest(first.content as string));
    assert.equal(first.project, 'prj_a');
    assert.equal(first.key_id, 'key_1');
    assert.equal(first.hash, chainHash('default', 1, GENESIS_HASH, chainedValues(first, 2), 2));
    // Exports carry the v2 columns and the stored content beside its digest.
    const exported = new Database(path, { readonly: true });
    const records = [];
    for await (const page of exportRecords(sqliteChainSource(exported))) records.push(...page);
    exported.close();
    assert.equal(records.length, 3);
    assert.equal(records[0]!.chain_format, 2);
    assert.equal(records[0]!.content, first.content);
    assert.equal(records[0]!.content_digest, first.content_digest);
    assert.equal(records[0]!.project, 'prj_a');
    assert.equal(records[0]!.scanners, first.scanners);
  });

  test('edited content is reported at its position; cleared content still verifies and is counted', async () => {
    const path = await chainedDatabase(400);
    const edited = await verifyBoth(path, `UPDATE events SET content = '{"request":"changed"}' WHERE seq = 321`);
    for (const result of [edited.sequential, edited.parallel]) {
      assert.deepEqual(result.problems.map((p) => [p.position, p.kind]), [[321, 'edited']]);
      assert.match(result.problems[0]!.detail, /content_digest/);
    }
    const cleared = await verifyBoth(path, 'UPDATE events SET content = NULL WHERE seq <= 321');
    for (const result of [cleared.sequential, cleared.parallel]) {
      assert.equal(result.ok, true, JSON.stringify(result.problems));
      assert.equal(result.contentCleared, 321);
      assert.equal(result.records, 400);
    }
    assert.ok((cleared.parallel.workers ?? 0) > 1, 'the parallel run used workers');
    assert.equal(cleared.sequential.workers, 0);
  });

  test('parallel verification reports edits, deletions, swaps and forged checkpoints exactly as the sequential one', async () => {
    const cases: [string, [number, string]][] = [
      ['UPDATE events SET status = 299 WHERE seq = 250', [250, 'edited']],
      ['DELETE FROM events WHERE seq = 120', [120, 'missing']],
      ["UPDATE events SET seq = -1 WHERE seq = 301; UPDATE events SET seq = 301 WHERE seq = 302; UPDATE events SET seq = 302 WHERE seq = -1", [301, 'reordered']],
      ["UPDATE audit_checkpoints SET time = '2020-01-01T00:00:00.000Z' WHERE seq = 200", [200, 'bad-checkpoint']],
      ['DELETE FROM events WHERE seq > 380', [381, 'missing']],
    ];
    for (const [sql, expected] of cases) {
      const path = await chainedDatabase(400);
      const { sequential, parallel } = await verifyBoth(path, sql);
      assert.deepEqual(sequential.problems.map((p) => [p.position, p.kind]), [expected], sql);
      assert.deepEqual(parallel.problems, sequential.problems, sql);
      assert.equal(parallel.records, sequential.records, sql);
    }
  });

  test('an intact chain verifies with workers, ranges joined, from and to respected', async () => {
    const path = await chainedDatabase(500);
    const db = new Database(path, { readonly: true });
    try {
      const whole = await verifyChain(sqliteChainSource(db), { verifyKey, workers: 4, minParallelRecords: 200 });
      assert.equal(whole.ok, true, JSON.stringify(whole.problems));
      assert.equal(whole.records, 500);
      const sequential = await verifyChain(sqliteChainSource(db), { verifyKey, workers: 0 });
      assert.ok(whole.checkpoints > 0);
      assert.equal(whole.checkpoints, sequential.checkpoints);
      assert.equal(whole.workers, 4);
      const part = await verifyChain(sqliteChainSource(db), { verifyKey, workers: 4, minParallelRecords: 200, from: 101, to: 450 });
      assert.equal(part.ok, true, JSON.stringify(part.problems));
      assert.equal(part.records, 350);
    } finally {
      db.close();
    }
  });

  test('workers that cannot read the store only cost the sequential pass: the result is still exact', async () => {
    const path = await chainedDatabase(300);
    const db = new Database(path, { readonly: true });
    try {
      const source = sqliteChainSource(db);
      source.parallel = { ...source.parallel!, workerData: { ...source.parallel!.workerData, path: join(root, 'missing.db') } };
      const result = await verifyChain(source, { verifyKey, workers: 3, minParallelRecords: 100 });
      assert.equal(result.ok, true, JSON.stringify(result.problems));
      assert.equal(result.records, 300);
    } finally {
      db.close();
    }
  });

  test('records chained in format 1 (before migration 3) and format 2 after them verify as one chain', async () => {
    const path = join(root, `db-${++counter}`, 'events.sqlite');
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 2));
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const row = { ...toRow(sampleEvent({ content: { request: `old ${seq}` } })) } as Record<string, unknown>;
      for (const column of ['project', 'key_id', 'content_mode']) delete row[column];
      row.seq = seq;
      row.prev_hash = prev;
      row.hash = chainHash('default', seq, prev, chainedValues(row, 1), 1);
      prev = row.hash as string;
      old.prepare(`INSERT INTO events (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((k) => `@${k}`).join(', ')})`).run(row);
    }
    old.close();
    const store = createSqliteEventStore({ path, logger: quiet, audit: { signingKey } });
    for (let i = 0; i < 4; i++) store.append(sampleEvent({ content: { request: `new ${i}` } }));
    await store.flush();
    const result = await store.verifyChain();
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.records, 7);
    await store.close();
    const db = new Database(path, { readonly: true });
    assert.deepEqual(db.prepare('SELECT chain_format FROM events ORDER BY seq').pluck().all(), [1, 1, 1, 2, 2, 2, 2]);
    db.close();
  });
});
