import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../telemetry/logger.ts';
import { runContentRetentionContract } from './content-retention.contract.ts';
import { openSqliteContentStorage } from './content-storage.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

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
