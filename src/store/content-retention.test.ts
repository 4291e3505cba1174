import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../telemetry/logger.ts';
import { runContentRetentionContract } from './content-retention.contract.ts';
import { openSqliteContentStorage } from './content-storage.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { ContentSealingStore } from './content-sealing-store.ts';
import { sampleEvent } from './event-store.contract.ts';
import { startRetentionJob } from './retention.ts';
import { loadMasterKeyring } from '../crypto/master-key.ts';

// The content and retention contract on SQLite; postgres.test.ts runs it on PostgreSQL.
const root = mkdtempSync(join(tmpdir(), 'bulwark-content-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger({ level: 'silent' });
let counter = 0;

runContentRetentionContract('sqlite', async () => {
  const path = join(root, `db-${++counter}`, 'events.db');
  const inner = createSqliteEventStore({ path, logger: quiet, flushIntervalMs: 5 });
  return { inner, storage: openSqliteContentStorage(path) };
});

describe('the gateway retention job', () => {
  test('runs on its interval, clears expired content, and stops', async () => {
    const path = join(root, `db-${++counter}`, 'events.db');
    const inner = createSqliteEventStore({ path, logger: quiet, flushIntervalMs: 5 });
    const store = new ContentSealingStore({ inner, storage: openSqliteContentStorage(path), keyring: () => loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'e'.repeat(64) }), keyPeriod: 'day', logger: quiet });
    const old = sampleEvent({ tenant: 'ten_job', contentMode: 'redacted', time: new Date(Date.now() - 3 * 86_400_000).toISOString(), content: { request: 'old text' } });
    store.append(old);
    await store.flush();
    const config = { retention: { days: 1, keyPeriod: 'day' as const, intervalMs: 60_000 }, tenants: {} };
    const stop = startRetentionJob({ storage: store.contentStorage, store, config, policy: 'default', actor: 'test job', logger: quiet, intervalMs: 20, firstRunMs: 1 });
    try {
      const deadline = Date.now() + 20_000;
      while ((await store.get(old.id))!.content !== null) {
        if (Date.now() > deadline) throw new Error('retention job did not run in time');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      stop();
    }
    await store.flush();
    assert.ok((await store.list({ limit: 10 })).some((e) => e.route === 'admin.retention.apply' && e.tenant === 'ten_job'));
    assert.equal((await store.verifyChain()).ok, true);
    await store.close();
  });
});
