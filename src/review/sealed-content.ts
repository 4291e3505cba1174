/**
 * Read access to `full` content for the review views: the stored event, and
 * `ContentSealingStore.revealContent`, the same code that opens content for
 * `GET /admin/v1/events/{event}/content`. The event store is opened for reads only (a read-only
 * connection to the events and one for content keys on SQLite, a small pool on PostgreSQL; no
 * writer, no signing key): the review CLI never writes events, checkpoints or keys.
 * What it opens is only ever shown masked (src/review/item-text.ts).
 */
import pg from 'pg';
import type { Config } from '../config/schema.ts';
import type { VerifyResult } from '../audit/verify.ts';
import { loadMasterKeyring, type MasterKeyring } from '../crypto/master-key.ts';
import { ContentSealingStore } from '../store/content-sealing-store.ts';
import { openSqliteContentStorage, type ContentStorage } from '../store/content-storage.ts';
import { postgresUrl, sqlitePathFor } from '../store/open.ts';
import { openPostgresContentStorage } from '../store/postgres-content-storage.ts';
import { quoteSchema } from '../store/postgres-migrations.ts';
import { PgEventReader } from '../store/postgres-reader.ts';
import { EventReader } from '../store/sqlite-reader.ts';
import type { AuditedEventStore, EventQuery, GatewayEvent } from '../store/types.ts';
import { createLogger } from '../telemetry/logger.ts';
import { fingerprintKey, matchFingerprint } from './fingerprint.ts';
import type { Fingerprinter } from './redact-opened.ts';

export interface SealedContentSource {
  /** The stored event (its `full` content sealed), or null. */
  get(eventId: string): Promise<GatewayEvent | null>;
  /** ContentSealingStore.revealContent: throws when the data key was destroyed or the ciphertext does not open. */
  revealContent(event: GatewayEvent): Promise<{ request?: string; response?: string } | null>;
  /** Match fingerprints under every master key held (current and previous). */
  fingerprinters(): Fingerprinter[];
  close(): Promise<void>;
}

export interface SealedContentOptions {
  config: Config;
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

interface Reader {
  get(id: string): Promise<GatewayEvent | null>;
  list(query: EventQuery): Promise<GatewayEvent[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** Opens the configured event store read-only, with its content keys and the master keyring (loaded on first use). */
export function openSealedContentSource(options: SealedContentOptions): SealedContentSource {
  const { config, dataDir, env } = options;
  const { reader, storage } = openReadSide(config, dataDir, env);
  let keyring: MasterKeyring | undefined;
  const keys = (): MasterKeyring => (keyring ??= loadMasterKeyring(dataDir, env, { create: false }));
  const sealing = new ContentSealingStore({ inner: readOnly(reader), storage, keyring: keys, keyPeriod: config.storage.retention.keyPeriod, logger: createLogger({ level: 'silent' }) });
  return {
    get: (id) => reader.get(id),
    revealContent: (event) => sealing.revealContent(event),
    fingerprinters: () => [...keys().byId.values()].map((master) => {
      const key = fingerprintKey(master.key);
      return (text: string) => matchFingerprint(key, text);
    }),
    close: () => sealing.close(),
  };
}

function openReadSide(config: Config, dataDir: string, env: NodeJS.ProcessEnv): { reader: Reader; storage: ContentStorage } {
  if (config.storage.kind === 'postgres') {
    const url = postgresUrl(config.storage.postgres.url, env);
    const pool = new pg.Pool({ connectionString: url, max: 2, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {});
    const events = new PgEventReader(pool, quoteSchema(config.storage.postgres.schema));
    return {
      reader: { get: (id) => events.get(id), list: (query) => events.list(query), count: () => events.count(), close: () => pool.end() },
      storage: openPostgresContentStorage(url, config.storage.postgres.schema),
    };
  }
  const path = sqlitePathFor(dataDir);
  const events = new EventReader(path);
  let storage: ContentStorage;
  try {
    storage = openSqliteContentStorage(path);
  } catch (error) {
    events.close();
    throw error;
  }
  return {
    reader: { get: async (id) => events.get(id), list: async (query) => events.list(query), count: async () => events.count(), close: async () => events.close() },
    storage,
  };
}

/** The reads of an event store; anything that would write refuses. */
function readOnly(reader: Reader): AuditedEventStore {
  return {
    append: () => {
      throw new Error('the review content view is read-only');
    },
    flush: async () => {},
    get: (id) => reader.get(id),
    list: (query) => reader.list(query ?? {}),
    count: () => reader.count(),
    close: () => reader.close(),
    verifyChain: (): Promise<VerifyResult> => Promise.reject(new Error('the review content view does not verify the chain (bulwark audit verify)')),
  };
}
