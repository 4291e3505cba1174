import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { POSTGRES_TEST_URL, servicesAvailable, skipOrFail } from '../../test/support/services.ts';
import { createLogger } from '../telemetry/logger.ts';
import { sampleEvent } from './event-store.contract.ts';
import { createPostgresEventStore, injectPostgresFaults } from './postgres-event-store.ts';
import { createSpoolingEventStore } from './spooling-event-store.ts';

const service = await servicesAvailable('postgres');
const schema = `bulwark_test_spool_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-spool-pg-'));
const quiet = createLogger({ level: 'silent' });

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!service.ok) return;
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

test('spool over PostgreSQL: a failed write and a lost commit acknowledgement are replayed, each event stored exactly once, chain intact', async (t) => {
  if (!service.ok) return skipOrFail(t, service.reason);
  const inner = await createPostgresEventStore({ connectionString: POSTGRES_TEST_URL, schema, logger: quiet, flushIntervalMs: 5 });
  const store = await createSpoolingEventStore({ inner, path: join(dir, 'events.spool'), maxBytes: 1 << 20, onFull: 'keep-serving', logger: quiet, flushIntervalMs: 5 });
  injectPostgresFaults(inner, ['lose-ack', 'fail-write']);
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const event = { ...sampleEvent(), id: `evt_spool_${i}` };
    ids.push(event.id);
    store.append(event);
  }
  await assert.rejects(store.flush(), /lost commit acknowledgement/);
  for (const deadline = Date.now() + 30_000; store.stats().spool!.records === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
  assert.equal(store.stats().spool!.records, 30, 'the batch whose acknowledgement was lost is spooled');
  // The injected write failure hits whichever write comes next: this flush, or the background replay
  // that the spooled batch has already started (under load it often wins). Either way it must not lose anything.
  await store.flush().catch((error: unknown) => assert.match(String((error as Error).message), /injected write failure/));
  for (const deadline = Date.now() + 30_000; store.stats().spool!.records > 0 && Date.now() < deadline; ) {
    await store.flush().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
  }
  await store.flush();
  assert.equal(store.stats().spool!.records, 0);
  assert.equal(await store.count(), 30);
  const listed = await store.list({ limit: 100 });
  assert.deepEqual(listed.map((e) => e.id).sort(), [...ids].sort());
  const verified = await store.verifyChain();
  assert.equal(verified.ok, true);
  assert.equal(verified.records, 30);
  await store.close();
});
