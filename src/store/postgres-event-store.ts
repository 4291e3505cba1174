import pg from 'pg';
import { checkpointPolicy } from '../audit/options.ts';
import type { AuditChainOptions } from '../audit/options.ts';
import { verifyChain } from '../audit/verify.ts';
import type { VerifyResult } from '../audit/verify.ts';
import type { Logger } from '../telemetry/logger.ts';
import { toRow } from './event-row.ts';
import { BatchTimer, FlushWaiters, retryDelayMs } from './batch-pacing.ts';
import { queuedRow } from './queued-row.ts';
import type { EventRow } from './event-row.ts';
import { migratePostgres, quoteSchema } from './postgres-migrations.ts';
import { PgEventReader } from './postgres-reader.ts';
import { ConcurrentInsertError, isPgDataError, PgChainWriter } from './postgres-writer.ts';
import { describeError, errorFrom } from './sqlite-writer.ts';
import type { AuditedEventStore, EventQuery, EventStore, GatewayEvent, StoreVerifyOptions } from './types.ts';

/** Options for {@link createPostgresEventStore}. */
export interface PostgresEventStoreOptions {
  /** postgres://user:password@host:port/database; never logged. */
  connectionString: string;
  /** Schema holding the tables, created when missing (default `bulwark`). */
  schema?: string;
  /** Most connections in the pool (default 4); writes use one at a time. */
  poolSize?: number;
  /** How long an appended event may wait before its batch is written (default 50). */
  flushIntervalMs?: number;
  /** Most events in one batch transaction (default 500). */
  maxBatch?: number;
  /** Most events held in memory while the database is failing; newer ones are dropped beyond it (default 100000). */
  maxQueued?: number;
  logger: Logger;
  audit?: AuditChainOptions;
}

/** Test-only faults: the next write fails before touching the database, or commits and then reports failure (a lost acknowledgement). */
export type PgWriteFault = 'fail-write' | 'lose-ack';

const DEFAULT_MAX_BATCH = 500;
const ERROR_LOG_EVERY_MS = 10_000;
// A batch that raced another process on an id is retried at once this many times.
const RACE_RETRIES = 3;

/**
 * Opens a PostgreSQL event store: connects, migrates the schema (under an advisory lock)
 * and resolves once it can take events. Same contract as the SQLite store (src/store/README.md).
 */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<AuditedEventStore> {
  const q = quoteSchema(options.schema ?? 'bulwark');
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: Math.max(1, options.poolSize ?? 4),
    // Idle connections must not keep the process alive, like the SQLite store's writer thread.
    allowExitOnIdle: true,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection emits here; without a listener it would crash the process.
  pool.on('error', (err) => options.logger.warn({ err: describeError(err) }, 'event store lost an idle PostgreSQL connection'));
  try {
    await migratePostgres(pool, options.schema ?? 'bulwark');
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return new PostgresEventStore(pool, q, options);
}

/** Test-only: see {@link PgWriteFault}. */
export function injectPostgresFaults(store: EventStore, faults: readonly PgWriteFault[]): void {
  if (!(store instanceof PostgresEventStore)) throw new TypeError('injectPostgresFaults needs a PostgreSQL event store');
  store.faults.push(...faults);
}

interface Batch {
  end: number;
  rows: EventRow[];
  sends: number;
}

/** PostgreSQL cannot store NUL in text; it becomes U+FFFD before hashing, so the chain matches what is stored. */
function withoutNul(row: EventRow): EventRow {
  const out = row as unknown as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (typeof value === 'string' && value.includes('\u0000')) out[key] = value.replaceAll('\u0000', '\uFFFD');
  }
  return row;
}

class PostgresEventStore implements AuditedEventStore {
  readonly faults: PgWriteFault[] = [];
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private readonly reader: PgEventReader;
  private readonly writer: PgChainWriter;
  private readonly audit: AuditChainOptions | undefined;
  private readonly intervalMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  /** Rows, converted at append (as in the SQLite store: only the flat row waits for its batch; ADR 0001). */
  private queue: EventRow[] = [];
  private inFlight: Batch | null = null;
  private writing = false;
  private accepted = 0;
  private settled = 0;
  private readonly waiters = new FlushWaiters();
  private readonly timer = new BatchTimer(() => void this.pump());
  private auditTimer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private closed = false;
  private failures = 0;
  private lastErrorLogAt = 0;
  private dropped = 0;

  constructor(pool: pg.Pool, quotedSchema: string, options: PostgresEventStoreOptions) {
    this.pool = pool;
    this.log = options.logger;
    this.audit = options.audit;
    this.intervalMs = Math.max(1, options.flushIntervalMs ?? 50);
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
    this.maxQueued = Math.max(this.maxBatch, options.maxQueued ?? 100_000);
    this.reader = new PgEventReader(pool, quotedSchema, options.connectionString);
    const policy = checkpointPolicy(options.audit);
    this.checkpointIntervalMs = policy.intervalMs;
    const key = options.audit?.signingKey ?? null;
    this.writer = new PgChainWriter(options.schema ?? 'bulwark', quotedSchema, key === null ? null : { key, everyRecords: policy.everyRecords, intervalMs: policy.intervalMs });
  }

  append(event: GatewayEvent): void {
    if (this.closed) throw new Error('event store is closed: append() called after close()');
    if (this.queue.length + (this.inFlight?.rows.length ?? 0) >= this.maxQueued) {
      this.dropped++;
      return;
    }
    const converted = queuedRow(event, this.log);
    if (converted === null) return;
    const row = withoutNul(converted);
    this.queue.push(row);
    this.accepted++;
    if (this.writing) return;
    if (this.queue.length >= this.maxBatch && this.failures === 0) this.timer.schedule(0);
    else if (!this.timer.isPending()) this.timer.schedule(retryDelayMs(this.intervalMs, this.failures));
  }

  stats(): { queued: number; dropped: number } {
    return { queued: this.accepted - this.settled, dropped: this.dropped };
  }

  /**
   * Commits events now as one batch transaction, bypassing the queue: no retry, rejects on failure
   * (the spooling wrapper, src/store/spooling-event-store.ts, spools them). Ids already stored are skipped.
   */
  async commitBatch(events: readonly GatewayEvent[]): Promise<void> {
    if (this.closed) throw new Error('event store is closed: commitBatch() called after close()');
    const rows: EventRow[] = [];
    for (const event of events) {
      try {
        rows.push(withoutNul(toRow(event)));
      } catch (err) {
        this.log.error({ eventId: typeof event?.id === 'string' ? event.id : null, err: describeError(err) }, 'event store dropped a malformed event');
      }
    }
    if (rows.length === 0) return;
    const fault = this.faults.shift();
    if (fault === 'fail-write') throw Object.assign(new Error('injected write failure'), { code: '08006' });
    await this.writeBatch(rows);
    if (fault === 'lose-ack') throw Object.assign(new Error('injected lost commit acknowledgement'), { code: '08006' });
    this.scheduleAuditCheckpoint();
  }

  flush(): Promise<void> {
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    const done = this.waiters.wait(target);
    if (!this.writing) {
      this.timer.clear();
      void this.pump();
    }
    return done;
  }

  get(id: string): Promise<GatewayEvent | null> {
    return this.read(() => this.reader.get(id));
  }

  list(query: EventQuery = {}): Promise<GatewayEvent[]> {
    return this.read(() => this.reader.list(query));
  }

  count(): Promise<number> {
    return this.read(() => this.reader.count());
  }

  async verifyChain(options: StoreVerifyOptions = {}): Promise<VerifyResult> {
    if (this.closed) throw new Error('event store is closed');
    const key = this.audit?.signingKey ?? null;
    return verifyChain(this.reader.chainSource(), { ...options, verifyKey: key === null ? null : { publicKey: key.publicKey, keyId: key.keyId } });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      while (this.settled < this.accepted) await this.flush();
    } catch (err) {
      this.closing = null;
      throw new Error(`event store could not write ${this.accepted - this.settled} queued events on close: ${describeError(err).message}`);
    }
    this.closed = true;
    this.timer.clear();
    if (this.auditTimer !== null) clearTimeout(this.auditTimer);
    this.auditTimer = null;
    if (this.dropped > 0) this.log.error({ dropped: this.dropped }, 'event store dropped events while writes were failing');
    try {
      await this.withClient((client) => this.writer.checkpointUncovered(client));
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'event store could not write the final audit checkpoint');
    }
    await this.pool.end();
  }

  /** Writes the batch in flight (building it first when needed); one batch at a time keeps append order. */
  private async pump(): Promise<void> {
    if (this.writing) return;
    while (this.inFlight === null && this.queue.length > 0) this.inFlight = this.nextBatch();
    const batch = this.inFlight;
    if (batch === null) return;
    this.writing = true;
    batch.sends++;
    let duplicates: number;
    try {
      const fault = this.faults.shift();
      if (fault === 'fail-write') throw Object.assign(new Error('injected write failure'), { code: '08006' });
      duplicates = await this.writeBatch(batch.rows);
      if (fault === 'lose-ack') throw Object.assign(new Error('injected lost commit acknowledgement'), { code: '08006' });
    } catch (err) {
      this.writing = false;
      this.onFailed(describeError(err));
      return;
    }
    this.writing = false;
    this.onWritten(batch, duplicates);
  }

  /** Takes up to maxBatch rows off the queue (never empty when called). */
  private nextBatch(): Batch {
    const rows = this.queue.splice(0, this.maxBatch);
    return { end: this.settled + rows.length, rows, sends: 0 };
  }

  /** One transaction; retried at once after an id race with another process, and row by row after a data error. */
  private async writeBatch(rows: EventRow[]): Promise<number> {
    let isolate = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const { duplicates } = await this.withClient((client) =>
          this.writer.write(client, rows, isolate, (row, err) => this.log.error({ eventId: row.id, err: describeError(err) }, 'event store dropped an event it could not write')),
        );
        return duplicates;
      } catch (err) {
        if (err instanceof ConcurrentInsertError && attempt < RACE_RETRIES) continue;
        if (!isolate && isPgDataError(err)) {
          isolate = true;
          continue;
        }
        throw err;
      }
    }
  }

  /** Runs fn on a pooled connection; a connection that failed other than on data is discarded, not reused. */
  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // pg emits 'error' on a checked-out client whose connection dies (the pool listens only on idle
    // ones); unheard, it would crash the process. The running query rejects with the same error.
    const onLost = (err: Error): void => {
      broken = err;
    };
    client.on('error', onLost);
    try {
      return await fn(client);
    } catch (err) {
      if (!isPgDataError(err) && !(err instanceof ConcurrentInsertError)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.off('error', onLost);
      client.release(broken);
    }
  }

  private onWritten(batch: Batch, duplicates: number): void {
    this.inFlight = null;
    if (duplicates > 0) {
      if (batch.sends > 1) this.log.info({ duplicates }, 'event store re-sent batch was partly or wholly written already');
      else this.log.warn({ duplicates }, 'event store ignored events whose id already exists');
    }
    if (this.failures > 0) {
      this.log.info({ failures: this.failures, dropped: this.dropped }, 'event store writes recovered');
      this.failures = 0;
      this.dropped = 0;
    }
    this.settle(batch.end);
    this.scheduleAuditCheckpoint();
    if (this.queue.length === 0) return;
    if (this.waiters.size > 0 || this.queue.length >= this.maxBatch) {
      this.timer.clear();
      void this.pump();
    } else if (!this.timer.isPending()) {
      this.timer.schedule(this.intervalMs);
    }
  }

  private onFailed(error: { message: string; code?: string }): void {
    this.failures++;
    const now = Date.now();
    if (this.failures === 1 || now - this.lastErrorLogAt >= ERROR_LOG_EVERY_MS) {
      this.lastErrorLogAt = now;
      const queued = this.queue.length + (this.inFlight?.rows.length ?? 0);
      this.log.error({ err: error, queued, failures: this.failures, dropped: this.dropped }, 'event store write failed; events kept for retry');
    }
    this.waiters.rejectAll(() => errorFrom(error));
    this.timer.clear();
    if (!this.closed) this.timer.schedule(retryDelayMs(this.intervalMs, this.failures));
  }

  /** Records no checkpoint covers yet get one after the interval, even if nothing else is written. */
  private scheduleAuditCheckpoint(): void {
    if (this.auditTimer !== null || this.writer.uncovered.size === 0 || this.closed) return;
    this.auditTimer = setTimeout(() => {
      this.auditTimer = null;
      if (this.closed) return;
      this.withClient((client) => this.writer.checkpointUncovered(client)).then(
        () => this.scheduleAuditCheckpoint(),
        (err: unknown) => {
          this.log.warn({ err: describeError(err) }, 'event store could not write an audit checkpoint; will retry');
          this.scheduleAuditCheckpoint();
        },
      );
    }, this.checkpointIntervalMs);
    this.auditTimer.unref();
  }

  private settle(end: number): void {
    this.settled = end;
    this.waiters.settle(end);
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return fn();
  }
}
