import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { EVENT_COLUMNS, fromRow, timeToMs } from './event-row.ts';
import type { EventRow } from './event-row.ts';
import { sqliteChainSource } from './sqlite-chain-source.ts';
import type { ChainSource } from '../audit/verify.ts';
import type { EventQuery, GatewayEvent } from './types.ts';

/** Page size of `list` when no limit is given. */
export const DEFAULT_LIST_LIMIT = 100;
/** Largest page `list` returns, so one query cannot load the whole table. */
export const MAX_LIST_LIMIT = 10_000;

const COLUMNS_SQL = EVENT_COLUMNS.join(', ');

/**
 * The store's read side: a read-only connection on the main thread. WAL lets it read
 * beside the writer thread without waiting for it, and a read-only connection never
 * commits, so it never runs a checkpoint (disk work) on the event loop. Reads are
 * admin and test paths, not the request path.
 */
export class EventReader {
  private readonly db: Db;
  private readonly selectById: Statement<[string]>;
  private readonly countAll: Statement<[]>;
  private readonly listStatements = new Map<string, Statement<unknown[]>>();

  /** `path` must exist and be migrated already. */
  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      this.selectById = this.db.prepare(`SELECT ${COLUMNS_SQL} FROM events WHERE id = ?`);
      this.countAll = this.db.prepare('SELECT COUNT(*) AS n FROM events');
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  get(id: string): GatewayEvent | null {
    const row = this.selectById.get(id) as EventRow | undefined;
    return row ? fromRow(row) : null;
  }

  list(query: EventQuery): GatewayEvent[] {
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
  }

  count(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  /** The audit chain as stored, for verifyChain. */
  chainSource(): ChainSource {
    return sqliteChainSource(this.db);
  }

  close(): void {
    this.db.close();
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
