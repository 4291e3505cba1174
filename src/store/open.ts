import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config, SecretRef } from '../config/schema.ts';
import { loadAuditSigningKey } from '../audit/signing-key.ts';
import type { ChainSource } from '../audit/verify.ts';
import type { Logger } from '../telemetry/logger.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import { quoteSchema } from './postgres-migrations.ts';
import { PgEventReader } from './postgres-reader.ts';
import { sqliteChainSource } from './sqlite-chain-source.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { spoolEnabled } from './spool-config.ts';
import { createSpoolingEventStore } from './spooling-event-store.ts';
import type { AuditChainOptions } from '../audit/options.ts';
import type { AuditedEventStore } from './types.ts';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import type { MasterKeyring } from '../crypto/master-key.ts';
import { ContentSealingStore } from './content-sealing-store.ts';
import { openSqliteContentStorage } from './content-storage.ts';
import type { ContentStorage } from './content-storage.ts';
import { openPostgresContentStorage } from './postgres-content-storage.ts';

/** The SQLite event database inside the data directory. */
export function sqlitePathFor(dataDir: string): string {
  return join(dataDir, 'events.db');
}

/** The durability spool file inside the data directory (storage.spool). */
export function spoolPathFor(dataDir: string): string {
  return join(dataDir, 'spool', 'events.spool');
}

/** The PostgreSQL connection string from `storage.postgres.url`; errors name the field, never the value. */
export function postgresUrl(ref: SecretRef, env: NodeJS.ProcessEnv): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (value === undefined || value === '') throw new Error(`storage.postgres.url: environment variable ${ref.env} is not set (expected a postgres:// connection string)`);
  return value;
}

export interface OpenEventStoreOptions {
  config: Config;
  dataDir: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

/**
 * Opens the event store the configuration names (`storage.kind`), with the audit chain's signing
 * key, the durability spool when enabled, and outermost the content sealing store, which applies
 * each tenant's content mode (and seals `full` content) before an event is written or spooled.
 */
export async function openEventStore(options: OpenEventStoreOptions): Promise<ContentSealingStore> {
  const { config, dataDir, logger, env } = options;
  const storage = config.storage;
  const audit = { signingKey: loadAuditSigningKey(dataDir, env), checkpointEveryRecords: storage.audit.checkpointEveryRecords, checkpointIntervalMs: storage.audit.checkpointIntervalMs };
  logger.info({ keyId: audit.signingKey.keyId, store: storage.kind }, 'audit chain signing key loaded');
  const inner = await openBackingStore(options, audit);
  let outer: AuditedEventStore = inner;
  let contentStorage: ContentStorage;
  try {
    contentStorage = storage.kind === 'postgres' ? openPostgresContentStorage(postgresUrl(storage.postgres.url, env), storage.postgres.schema) : openSqliteContentStorage(sqlitePathFor(dataDir));
  } catch (err) {
    await inner.close().catch(() => {});
    throw err;
  }
  if (spoolEnabled(storage.spool, storage.kind)) {
    try {
      outer = await createSpoolingEventStore({ inner, path: spoolPathFor(dataDir), maxBytes: storage.spool.maxBytes, onFull: storage.spool.onFull, flushIntervalMs: storage.flushIntervalMs, logger });
    } catch (err) {
      await inner.close().catch(() => {});
      await contentStorage.close().catch(() => {});
      throw new Error(`storage.spool: cannot open the spool file ${spoolPathFor(dataDir)} (${(err as Error).message})`);
    }
  }
  let keyring: MasterKeyring | undefined;
  return new ContentSealingStore({ inner: outer, storage: contentStorage, keyring: () => (keyring ??= loadMasterKeyring(dataDir, env)), keyPeriod: storage.retention.keyPeriod, logger });
}

async function openBackingStore(options: OpenEventStoreOptions, audit: AuditChainOptions): Promise<AuditedEventStore> {
  const { config, dataDir, logger, env } = options;
  const storage = config.storage;
  if (storage.kind === 'postgres') {
    return createPostgresEventStore({
      connectionString: postgresUrl(storage.postgres.url, env),
      schema: storage.postgres.schema,
      poolSize: storage.postgres.poolSize,
      flushIntervalMs: storage.flushIntervalMs,
      logger,
      audit,
    });
  }
  return createSqliteEventStore({ path: sqlitePathFor(dataDir), flushIntervalMs: storage.flushIntervalMs, logger, audit });
}

/** A read-only view of the configured store's audit chain, for `bulwark audit verify`; writes and migrates nothing. */
export async function openChainSource(config: Config, dataDir: string, env: NodeJS.ProcessEnv): Promise<{ source: ChainSource; describe: string; close(): Promise<void> }> {
  if (config.storage.kind === 'postgres') {
    const q = quoteSchema(config.storage.postgres.schema);
    const connectionString = postgresUrl(config.storage.postgres.url, env);
    const pool = new pg.Pool({ connectionString, max: 2, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {});
    try {
      await pool.query(`SELECT 1 FROM ${q}.audit_checkpoints LIMIT 0`);
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`storage.postgres: cannot read the audit tables in schema ${config.storage.postgres.schema} (${(err as Error).message})`);
    }
    return { source: new PgEventReader(pool, q, connectionString).chainSource(), describe: `postgres schema ${config.storage.postgres.schema}`, close: () => pool.end() };
  }
  const path = sqlitePathFor(dataDir);
  if (!existsSync(path)) throw new Error(`no event database at ${path} (check --data-dir or BULWARK_DATA_DIR)`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return { source: sqliteChainSource(db), describe: `sqlite ${path}`, close: async () => {
      db.close();
    } };
  } catch (err) {
    db.close();
    throw new Error(`${path}: no audit chain tables (start the gateway once with this version to migrate it): ${(err as Error).message}`);
  }
}
