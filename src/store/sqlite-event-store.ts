import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement, Transaction } from 'better-sqlite3';
import type { Logger } from '../telemetry/logger.ts';
import { EVENT_COLUMNS, fromRow, timeToMs, toRow } from './event-row.ts';
import type { EventRow } from './event-row.ts';
import { migrate } from './migrations.ts';
import type { EventQuery, EventStore, GatewayEvent } from './types.ts';

/** Options for {@link createSqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /** Database file; its parent directory is created when missing. `:memory:` works for tests. */
  path: string;
  /** How long an appended event may wait before its batch is written (default 50). */
  flushIntervalMs?: number;
  /** Most events written in one transaction (default 500). */
  maxBatch?: number;
  /** Most events held in memory while the disk is failing; newer ones are dropped beyond it (default 100000). */
  maxQueued?: number;
  logger: Logger;
}

/** Page size of `list` when no limit is given. */
export const DEFAULT_LIST_LIMIT = 100;
/** Largest page `list` returns, so one query cannot load the whole table. */
export const MAX_LIST_LIMIT = 10_000;

const COLUMNS_SQL = EVENT_COLUMNS.join(', ');
const INSERT_SQL = `INSERT INTO events (${COLUMNS_SQL}) VALUES (${EVENT_COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT(id) DO NOTHING`;
// Retries after a failed write back off up to this, so a broken disk is not hammered.
const MAX_RETRY_DELAY_MS = 5_000;
// While writes keep failing, repeat the error log at most this often.
const ERROR_LOG_EVERY_MS = 10_000;

/** Opens (creating and migrating when needed) a SQLite event store with batched, off-hot-path writes. */
export function createSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  return new SqliteEventStore(options);
}

/** Errors caused by one event's data rather than the database; retrying them can never succeed. */
function isDataError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG');
}

/** Only the message and SQLite code: error objects may carry bound parameters. */
function describe(err: unknown): { message: string; code?: string } {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}

class SqliteEventStore implements EventStore {
  private readonly db: Db;
  private readonly log: Logger;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly insert: Statement<[EventRow]>;
  private readonly insertMany: Transaction<(rows: EventRow[]) => number>;
  private readonly selectById: Statement<[string]>;
  private readonly countAll: Statement<[]>;
  private readonly listStatements = new Map<string, Statement<unknown[]>>();
  private queue: GatewayEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerImmediate = false;
  private closed = false;
  private failures = 0;
  private lastErrorLogAt = 0;
  private dropped = 0;

  constructor(options: SqliteEventStoreOptions) {
    this.log = options.logger;
    this.intervalMs = Math.max(1, options.flushIntervalMs ?? 50);
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.maxQueued = Math.max(this.maxBatch, options.maxQueued ?? 100_000);
    if (options.path !== ':memory:') {
      mkdirSync(dirname(options.path), { recursive: true });
    }
    this.db = new Database(options.path);
    try {
      // WAL lets readers (admin API, CLI) run beside the writer; NORMAL keeps
      // committed data safe across process crashes without an fsync per batch.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      migrate(this.db);
      this.insert = this.db.prepare(INSERT_SQL);
      this.selectById = this.db.prepare(`SELECT ${COLUMNS_SQL} FROM events WHERE id = ?`);
      this.countAll = this.db.prepare('SELECT COUNT(*) AS n FROM events');
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.insertMany = this.db.transaction((rows: EventRow[]) => {
      let duplicates = 0;
      for (const row of rows) if (this.insert.run(row).changes === 0) duplicates++;
      return duplicates;
    });
  }

  append(event: GatewayEvent): void {
    if (this.closed) throw new Error('event store is closed: append() called after close()');
    if (this.queue.length >= this.maxQueued) {
      // Only reachable while writes keep failing; bounding memory beats an OOM crash.
      this.dropped++;
      return;
    }
    this.queue.push(event);
    if (this.queue.length >= this.maxBatch && this.failures === 0) this.schedule(0);
    else if (this.timer === null) this.schedule(this.retryDelay());
  }

  flush(): Promise<void> {
    try {
      this.writeQueued(Number.POSITIVE_INFINITY);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  get(id: string): Promise<GatewayEvent | null> {
    return this.read(() => {
      const row = this.selectById.get(id) as EventRow | undefined;
      return row ? fromRow(row) : null;
    });
  }

  list(query: EventQuery = {}): Promise<GatewayEvent[]> {
    return this.read(() => {
      const limit = Math.min(MAX_LIST_LIMIT, Math.floor(query.limit ?? DEFAULT_LIST_LIMIT));
      if (!(limit > 0)) return [];
      const params: unknown[] = [];
      const where: string[] = [];
      if (query.since !== undefined) {
        const since = timeToMs(query.since);
        if (since === null) throw new RangeError(`list: since is not a valid time: ${JSON.stringify(query.since)}`);
        where.push('time_ms >= ?');
        params.push(since);
      }
      if (query.decision !== undefined) {
        where.push('decision = ?');
        params.push(query.decision);
      }
      params.push(limit);
      return (this.listStatement(where).all(...params) as EventRow[]).map(fromRow);
    });
  }

  count(): Promise<number> {
    return this.read(() => (this.countAll.get() as { n: number }).n);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.clearTimer();
    try {
      this.writeQueued(Number.POSITIVE_INFINITY);
    } catch (err) {
      // Stay open so the caller can retry close(); the retry timer keeps trying too.
      this.schedule(this.retryDelay());
      const { message } = describe(err);
      return Promise.reject(new Error(`event store could not write ${this.queue.length} queued events on close: ${message}`));
    }
    this.closed = true;
    if (this.dropped > 0) this.log.error({ dropped: this.dropped }, 'event store dropped events while writes were failing');
    this.db.close();
    return Promise.resolve();
  }

  /** Writes up to `limit` queued events in batches; throws (keeping them queued) when the database fails. */
  private writeQueued(limit: number): void {
    let written = 0;
    while (this.queue.length > 0 && written < limit) {
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        this.writeBatch(batch);
      } catch (err) {
        this.onWriteFailure(err);
        throw err;
      }
      // Nothing else runs during the synchronous write, so the head is still this batch.
      this.queue.splice(0, batch.length);
      written += batch.length;
    }
    if (written > 0 && this.failures > 0) {
      this.log.info({ failures: this.failures, dropped: this.dropped }, 'event store writes recovered');
      this.failures = 0;
      this.dropped = 0;
    }
  }

  private writeBatch(batch: GatewayEvent[]): void {
    const rows: EventRow[] = [];
    for (const event of batch) {
      try {
        rows.push(toRow(event));
      } catch (err) {
        this.log.error({ eventId: typeof event?.id === 'string' ? event.id : null, err: describe(err) }, 'event store dropped a malformed event');
      }
    }
    if (rows.length === 0) return;
    let duplicates: number;
    try {
      duplicates = this.insertMany(rows);
    } catch (err) {
      if (!isDataError(err)) throw err;
      duplicates = this.insertIsolated(rows);
    }
    if (duplicates > 0) this.log.warn({ duplicates }, 'event store ignored events whose id already exists');
  }

  /** Retries a batch row by row so one bad event cannot block the rest forever. */
  private insertIsolated(rows: EventRow[]): number {
    let duplicates = 0;
    const run = this.db.transaction(() => {
      for (const row of rows) {
        try {
          if (this.insert.run(row).changes === 0) duplicates++;
        } catch (err) {
          if (!isDataError(err)) throw err;
          this.log.error({ eventId: row.id, err: describe(err) }, 'event store dropped an event it could not write');
        }
      }
    });
    run();
    return duplicates;
  }

  private onWriteFailure(err: unknown): void {
    this.failures++;
    const now = Date.now();
    if (this.failures === 1 || now - this.lastErrorLogAt >= ERROR_LOG_EVERY_MS) {
      this.lastErrorLogAt = now;
      this.log.error({ err: describe(err), queued: this.queue.length, failures: this.failures, dropped: this.dropped }, 'event store write failed; events kept for retry');
    }
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.timerImmediate = false;
    try {
      this.writeQueued(this.maxBatch);
    } catch {
      // Already logged by onWriteFailure; the events stay queued for the next try.
    }
    if (this.queue.length > 0) this.schedule(this.failures > 0 ? this.retryDelay() : 0);
  };

  private retryDelay(): number {
    if (this.failures === 0) return this.intervalMs;
    return Math.min(MAX_RETRY_DELAY_MS, this.intervalMs * 2 ** Math.min(this.failures, 16));
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) {
      // An earlier or equally early timer already covers this request.
      if (delayMs > 0 || this.timerImmediate) return;
      clearTimeout(this.timer);
    }
    this.timerImmediate = delayMs === 0;
    // unref: a pending flush must not keep the process alive; close() flushes on shutdown.
    this.timer = setTimeout(this.onTimer, delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerImmediate = false;
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private listStatement(where: string[]): Statement<unknown[]> {
    const key = where.join(' AND ');
    let stmt = this.listStatements.get(key);
    if (!stmt) {
      // rowid breaks ties between equal times so the newest append comes first.
      const clause = where.length > 0 ? `WHERE ${key}` : '';
      stmt = this.db.prepare(`SELECT ${COLUMNS_SQL} FROM events ${clause} ORDER BY time_ms DESC, rowid DESC LIMIT ?`);
      this.listStatements.set(key, stmt);
    }
    return stmt;
  }
}
