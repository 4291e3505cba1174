import type pg from 'pg';
import { CHAIN_READ_COLUMNS, recordFromRow } from '../audit/chain-format.mjs';
import type { ChainCheckpoint, ChainRecord, ChainSource, SeqRange } from '../audit/verify.ts';
import { EVENT_COLUMNS, fromRow, timeToMs } from './event-row.ts';
import type { EventRow } from './event-row.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './sqlite-reader.ts';
import type { EventQuery, GatewayEvent } from './types.ts';

/** bigint comes back from pg as a string; as float8 it is a number, exact up to 2^53. */
const select = (column: string): string => (column === 'time_ms' || column === 'seq' ? `${column}::float8 AS ${column}` : column === 'chain_format' ? 'chain_format::int AS chain_format' : column);
const COLUMNS_SQL = EVENT_COLUMNS.map(select).join(', ');
/** Records per page when verifying. */
const PAGE = 10_000;
/** Worker module of parallel verification (src/audit/parallel-verify.ts). */
const RANGE_WORKER_URL = new URL('./verify-range.worker.mjs', import.meta.url);

/** The PostgreSQL store's read side: plain pooled queries (reads see committed data only). */
export class PgEventReader {
  private readonly pool: pg.Pool;
  private readonly q: string;

  /** Given the connection string, chainSource() lets verification check seq ranges on worker threads, each with its own connection. */
  private readonly connectionString: string | null;

  constructor(pool: pg.Pool, quotedSchema: string, connectionString: string | null = null) {
    this.pool = pool;
    this.q = quotedSchema;
    this.connectionString = connectionString;
  }

  async get(id: string): Promise<GatewayEvent | null> {
    const { rows } = await this.pool.query<EventRow>(`SELECT ${COLUMNS_SQL} FROM ${this.q}.events WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async list(query: EventQuery): Promise<GatewayEvent[]> {
    const limit = Math.min(MAX_LIST_LIMIT, Math.floor(query.limit ?? DEFAULT_LIST_LIMIT));
    if (!(limit > 0)) return [];
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.since !== undefined) {
      const since = timeToMs(query.since);
      if (since === null) throw new RangeError(`list: since is not a valid time: ${JSON.stringify(query.since)}`);
      params.push(since);
      where.push(`time_ms >= $${params.length}`);
    }
    if (query.decision !== undefined) {
      params.push(query.decision);
      where.push(`decision = $${params.length}`);
    }
    params.push(limit);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // NULLS LAST matches SQLite, where an unparsable time sorts last.
    const sql = `SELECT ${COLUMNS_SQL} FROM ${this.q}.events ${clause} ORDER BY time_ms DESC NULLS LAST, append_order DESC LIMIT $${params.length}`;
    const { rows } = await this.pool.query<EventRow>(sql, params);
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM ${this.q}.events`);
    return rows[0]?.n ?? 0;
  }

  /** The audit chain for verifyChain: keyset pages in seq order, the next page fetched while the current one is checked. */
  chainSource(): ChainSource {
    const pool = this.pool;
    const q = this.q;
    const pageSql = `SELECT ${CHAIN_READ_COLUMNS.map(select).join(', ')} FROM ${q}.events WHERE partition = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT ${PAGE}`;
    const fetchPage = (partition: string, after: number, to: number): Promise<unknown[][]> => {
      const page = pool.query<unknown[]>({ text: pageSql, values: [partition, after, to], rowMode: 'array' }).then((r) => r.rows);
      // A prefetched page nobody awaits (verification stopped at a problem) must not become an unhandled rejection.
      page.catch(() => {});
      return page;
    };
    const source: ChainSource = {
      async partitions() {
        const { rows } = await pool.query<{ partition: string }>(`SELECT partition FROM (SELECT DISTINCT partition FROM ${q}.events UNION SELECT DISTINCT partition FROM ${q}.audit_checkpoints) p ORDER BY partition COLLATE "C"`);
        return rows.map((r) => r.partition);
      },
      async *records(partition: string, range: SeqRange): AsyncIterable<ChainRecord[]> {
        const to = range.to ?? Number.MAX_SAFE_INTEGER;
        let pending: Promise<unknown[][]> | null = fetchPage(partition, (range.from ?? 1) - 1, to);
        while (pending !== null) {
          const rows: unknown[][] = await pending;
          pending = rows.length === PAGE ? fetchPage(partition, rows[rows.length - 1]![0] as number, to) : null;
          if (rows.length === 0) return;
          const batch = new Array<ChainRecord>(rows.length);
          for (let i = 0; i < rows.length; i++) batch[i] = recordFromRow(rows[i]!) as ChainRecord;
          yield batch;
        }
      },
      async checkpoints(partition: string, range: SeqRange) {
        const { rows } = await pool.query<ChainCheckpoint>(
          `SELECT partition, seq::float8 AS seq, hash, time, key_id AS "keyId", signature FROM ${q}.audit_checkpoints WHERE partition = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq`,
          [partition, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER],
        );
        return rows;
      },
    };
    if (this.connectionString !== null) {
      source.parallel = {
        workerUrl: RANGE_WORKER_URL,
        workerData: { kind: 'postgres', connectionString: this.connectionString, pageSql, pageSize: PAGE },
        async bounds(partition: string) {
          const { rows } = await pool.query<{ min: number | null; max: number | null }>(`SELECT min(seq)::float8 AS min, max(seq)::float8 AS max FROM ${q}.events WHERE partition = $1`, [partition]);
          const row = rows[0];
          return row === undefined || row.min === null || row.max === null ? null : { min: row.min, max: row.max };
        },
      };
    }
    return source;
  }
}
