import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { POSTGRES_TEST_URL, servicesAvailable, skipOrFail } from '../../test/support/services.ts';
import { loadAuditSigningKey } from '../audit/signing-key.ts';
import { createLogger } from '../telemetry/logger.ts';
import { runEventStoreContract, sampleEvent } from './event-store.contract.ts';
import { createPostgresEventStore, injectPostgresFaults } from './postgres-event-store.ts';
import { PG_MIGRATIONS } from './postgres-migrations.ts';
import { runContentRetentionContract } from './content-retention.contract.ts';
import { openPostgresContentStorage } from './postgres-content-storage.ts';
import type { AuditedEventStore } from './types.ts';

const service = await servicesAvailable('postgres');
const quiet = createLogger({ level: 'silent' });
const keyDir = mkdtempSync(join(tmpdir(), 'bulwark-pg-keys-'));
const audit = { signingKey: loadAuditSigningKey(keyDir, {}), checkpointEveryRecords: 100 };
// One schema per store, all with this run's prefix, dropped at the end: parallel test files never collide.
const prefix = `bulwark_test_${randomBytes(4).toString('hex')}`;
let schemaCounter = 0;
let lastSchema = '';

function open(schema: string, extra: Partial<Parameters<typeof createPostgresEventStore>[0]> = {}): Promise<AuditedEventStore> {
  return createPostgresEventStore({ connectionString: POSTGRES_TEST_URL, schema, logger: quiet, flushIntervalMs: 10, audit, ...extra });
}

function freshSchema(): string {
  lastSchema = `${prefix}_${++schemaCounter}`;
  return lastSchema;
}

after(async () => {
  rmSync(keyDir, { recursive: true, force: true });
  if (!service.ok) return;
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  for (let i = 1; i <= schemaCounter; i++) await client.query(`DROP SCHEMA IF EXISTS ${prefix}_${i} CASCADE`);
  await client.end();
});

if (!service.ok) {
  test('PostgreSQL event store', (t) => skipOrFail(t, service.reason));
} else {
  runEventStoreContract('postgres', () => open(freshSchema()), { reopen: () => open(lastSchema) });
  runContentRetentionContract('postgres', async () => {
    const schema = freshSchema();
    const inner = await open(schema);
    return { inner, storage: openPostgresContentStorage(POSTGRES_TEST_URL, schema) };
  });

  describe('postgres event store', () => {
    test('migrations are recorded once; concurrent opens migrate once', async () => {
      const schema = freshSchema();
      const stores = await Promise.all([open(schema), open(schema), open(schema)]);
      await Promise.all(stores.map((s) => s.close()));
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      const { rows } = await client.query(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`);
      await client.end();
      assert.deepEqual(rows, PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    });

    test('rejects a schema name that is not a plain identifier', async () => {
      await assert.rejects(open('Bad-Schema; DROP'), /storage\.postgres\.schema: expected lowercase/);
    });

    test('several processes appending to one partition at once keep one unbroken chain', async () => {
      const schema = freshSchema();
      // Separate stores (separate pools) stand for separate gateway processes.
      const stores = await Promise.all([open(schema, { maxBatch: 37 }), open(schema, { maxBatch: 50 }), open(schema, { maxBatch: 23 })]);
      const perStore = 400;
      for (let i = 0; i < perStore; i++) for (const [n, store] of stores.entries()) store.append(sampleEvent(n === 2 && i % 2 === 0 ? { tenant: 'acme' } : {}));
      await Promise.all(stores.map((s) => s.flush()));
      const result = await stores[0]!.verifyChain();
      assert.equal(result.ok, true, JSON.stringify(result.problems));
      assert.equal(result.records, perStore * 3);
      assert.equal(await stores[0]!.count(), perStore * 3);
      await Promise.all(stores.map((s) => s.close()));
    });

    test('a batch whose commit acknowledgement was lost is re-sent without duplicating or forking', async () => {
      const store = await open(freshSchema());
      injectPostgresFaults(store, ['lose-ack']);
      const events = Array.from({ length: 80 }, () => sampleEvent());
      for (const e of events) store.append(e);
      await assert.rejects(store.flush(), /lost commit acknowledgement/);
      await store.flush();
      assert.equal(await store.count(), 80);
      const result = await store.verifyChain();
      assert.equal(result.ok, true, JSON.stringify(result.problems));
      assert.equal(result.records, 80);
      await store.close();
    });

    test('a failed write keeps the events and retries them', async () => {
      const store = await open(freshSchema());
      injectPostgresFaults(store, ['fail-write', 'fail-write']);
      const event = sampleEvent();
      store.append(event);
      await assert.rejects(store.flush(), /injected write failure/);
      await assert.rejects(store.flush(), /injected write failure/);
      await store.flush();
      assert.deepEqual(await store.get(event.id), event);
      await store.close();
    });

    test('edits, deletions and swaps in the table are found by verification, sequential and on worker threads alike', async () => {
      const schema = freshSchema();
      const store = await open(schema, { maxBatch: 10 });
      for (let i = 0; i < 60; i++) store.append(sampleEvent({ content: { request: `prompt ${i}` }, contentMode: 'redacted' }));
      await store.flush();
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      // Verification runs on the store's own connections, so each change is committed first, then undone.
      const commitAndCheck = async (sql: string, undo: string, expected: [number, string]) => {
        await client.query(sql);
        try {
          const result = await store.verifyChain({ workers: 0 });
          assert.deepEqual(result.problems.map((p) => [p.position, p.kind]), [expected], sql);
          // Ranges of 10 records on 3 workers, each on its own connection: the same report.
          const parallel = await store.verifyChain({ workers: 3, minParallelRecords: 20 });
          assert.deepEqual(parallel.problems, result.problems, sql);
        } finally {
          await client.query(undo);
        }
      };
      await commitAndCheck(`UPDATE ${schema}.events SET status = 500 WHERE seq = 12`, `UPDATE ${schema}.events SET status = 200 WHERE seq = 12`, [12, 'edited']);
      await commitAndCheck(
        `UPDATE ${schema}.events SET seq = -1 WHERE seq = 20; UPDATE ${schema}.events SET seq = 20 WHERE seq = 21; UPDATE ${schema}.events SET seq = 21 WHERE seq = -1`,
        `UPDATE ${schema}.events SET seq = -1 WHERE seq = 20; UPDATE ${schema}.events SET seq = 20 WHERE seq = 21; UPDATE ${schema}.events SET seq = 21 WHERE seq = -1`,
        [20, 'reordered'],
      );
      assert.equal((await store.verifyChain()).ok, true);
      const intact = await store.verifyChain({ workers: 3, minParallelRecords: 20 });
      assert.equal(intact.ok, true, JSON.stringify(intact.problems));
      assert.equal(intact.workers, 3);
      assert.equal(intact.records, 60);
      await client.query(`UPDATE ${schema}.events SET content = NULL WHERE seq <= 5`);
      const cleared = await store.verifyChain({ workers: 3, minParallelRecords: 20 });
      assert.equal(cleared.ok, true, JSON.stringify(cleared.problems));
      assert.equal(cleared.contentCleared, 5);
      await client.query(`UPDATE ${schema}.events SET content = '{"request":"forged"}' WHERE seq = 7`);
      assert.deepEqual((await store.verifyChain({ workers: 3, minParallelRecords: 20 })).problems.map((p) => [p.position, p.kind]), [[7, 'edited']]);
      await client.query(`UPDATE ${schema}.events SET content = NULL WHERE seq = 7`);
      await client.query(`DELETE FROM ${schema}.events WHERE seq = 30`);
      const deleted = await store.verifyChain();
      assert.deepEqual(deleted.problems.map((p) => [p.position, p.kind]), [[30, 'missing']]);
      await client.end();
      await store.close();
    });
  });
}
