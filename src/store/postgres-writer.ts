import type pg from 'pg';
import { chainRow, GENESIS_HASH, signCheckpoint } from '../audit/chain-format.mjs';
import type { AuditSigningKey } from '../audit/signing-key.ts';
import { EVENT_COLUMNS } from './event-row.ts';
import type { EventRow } from './event-row.ts';

/**
 * The PostgreSQL store's write transaction. Several gateway processes may append to one
 * database at once, so the chain is serialised per partition inside the database: each
 * batch runs in one transaction that first takes `pg_advisory_xact_lock(hashtext(schema),
 * hashtext(partition))` for each of its partitions (in sorted order, so two batches can
 * never deadlock), then reads the partition heads, skips ids already stored, chains the
 * rest and inserts them in one statement. The locks end with the transaction. A batch
 * re-sent after an unknown outcome finds its ids stored and takes no new seq.
 */

/** PostgreSQL type of each inserted column, for the unnest() arrays. */
const COLUMN_TYPES: Record<string, string> = {
  time_ms: 'bigint',
  status: 'float8',
  input_tokens: 'float8',
  output_tokens: 'float8',
  upstream_latency_ms: 'float8',
  total_latency_ms: 'float8',
  streamed: 'smallint',
  seq: 'bigint',
  chain_format: 'smallint',
};
const INSERT_COLUMNS = [...EVENT_COLUMNS, 'chain_format', 'content_digest', 'seq', 'prev_hash', 'hash'] as const;

/** A chained row as inserted. */
type ChainedRow = EventRow & { chain_format: number; content_digest: string | null; seq: number; prev_hash: string; hash: string };

export interface CheckpointPolicy {
  key: AuditSigningKey;
  everyRecords: number;
  intervalMs: number;
}

/** Thrown when another process inserted one of our ids between our check and our insert; the batch is simply retried. */
export class ConcurrentInsertError extends Error {
  readonly code = 'BULWARK_CONCURRENT_INSERT';
}

/** Errors caused by a row's data (SQLSTATE classes 22 and 23): retrying the same batch can never succeed. */
export function isPgDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

export class PgChainWriter {
  private readonly q: string;
  private readonly schema: string;
  private readonly insertSql: string;
  private readonly policy: CheckpointPolicy | null;
  /** Last checkpoint per partition known to this process, updated after commits only. */
  private readonly lastCheckpoints = new Map<string, { seq: number; atMs: number }>();
  /** Partitions whose newest records no checkpoint covers yet. */
  readonly uncovered = new Set<string>();

  constructor(schema: string, quotedSchema: string, policy: CheckpointPolicy | null) {
    this.schema = schema;
    this.q = quotedSchema;
    this.policy = policy;
    const arrays = INSERT_COLUMNS.map((c, i) => `$${i + 1}::${COLUMN_TYPES[c] ?? 'text'}[]`).join(', ');
    this.insertSql = `INSERT INTO ${this.q}.events (${INSERT_COLUMNS.join(', ')}) SELECT * FROM unnest(${arrays}) ON CONFLICT (id) DO NOTHING`;
  }

  /**
   * Writes rows in order as one transaction on `client`; returns how many were already
   * stored (duplicate ids, or a re-sent batch). With `isolate`, rows failing on their own
   * data are dropped one by one (reported through `dropped`) instead of failing the batch.
   */
  async write(client: pg.ClientBase, rows: readonly EventRow[], isolate: boolean, dropped: (row: EventRow, err: unknown) => void): Promise<{ duplicates: number }> {
    await client.query('BEGIN');
    try {
      const partitions = [...new Set(rows.map((r) => r.partition))].sort();
      const heads = new Map<string, { seq: number; hash: string; advanced: boolean }>();
      for (const partition of partitions) heads.set(partition, await this.lockAndReadHead(client, partition));
      const existing = await client.query<{ id: string }>(`SELECT id FROM ${this.q}.events WHERE id = ANY($1::text[])`, [rows.map((r) => r.id)]);
      const seen = new Set(existing.rows.map((r) => r.id));
      const chained: ChainedRow[] = [];
      let duplicates = 0;
      for (const row of rows) {
        if (seen.has(row.id)) {
          duplicates++;
          continue;
        }
        seen.add(row.id);
        const head = heads.get(row.partition)!;
        const seq = head.seq + 1;
        const candidate = { ...row } as ChainedRow;
        const hash = chainRow(candidate as unknown as Parameters<typeof chainRow>[0], seq, head.hash);
        if (isolate && !(await this.insertOneIsolated(client, candidate, dropped))) continue;
        chained.push(candidate);
        heads.set(row.partition, { seq, hash, advanced: true });
      }
      if (!isolate && chained.length > 0) {
        const result = await client.query(this.insertSql, INSERT_COLUMNS.map((c) => chained.map((r) => r[c])));
        // Another process stored one of these ids after our check: our seqs would leave a gap.
        if (result.rowCount !== chained.length) throw new ConcurrentInsertError('an id of this batch was inserted concurrently; retrying');
      }
      const checkpoints = await this.writeDueCheckpoints(client, heads, Date.now(), false);
      await client.query('COMMIT');
      this.afterCommit(heads, checkpoints);
      return { duplicates };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  /** A checkpoint for every partition with uncovered records (on the interval timer and on close). */
  async checkpointUncovered(client: pg.ClientBase): Promise<void> {
    if (this.policy === null || this.uncovered.size === 0) return;
    await client.query('BEGIN');
    try {
      const heads = new Map<string, { seq: number; hash: string; advanced: boolean }>();
      for (const partition of [...this.uncovered].sort()) heads.set(partition, { ...(await this.lockAndReadHead(client, partition)), advanced: true });
      const checkpoints = await this.writeDueCheckpoints(client, heads, Date.now(), true);
      await client.query('COMMIT');
      this.uncovered.clear();
      this.afterCommit(heads, checkpoints);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  private async lockAndReadHead(client: pg.ClientBase, partition: string): Promise<{ seq: number; hash: string; advanced: boolean }> {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.schema, partition]);
    const { rows } = await client.query<{ seq: number; hash: string }>(`SELECT seq::float8 AS seq, hash FROM ${this.q}.events WHERE partition = $1 ORDER BY seq DESC LIMIT 1`, [partition]);
    const head = rows[0];
    return head ? { seq: head.seq, hash: head.hash, advanced: false } : { seq: 0, hash: GENESIS_HASH, advanced: false };
  }

  private async insertOneIsolated(client: pg.ClientBase, row: ChainedRow, dropped: (row: EventRow, err: unknown) => void): Promise<boolean> {
    await client.query('SAVEPOINT bulwark_row');
    try {
      const result = await client.query(this.insertSql, INSERT_COLUMNS.map((c) => [row[c]]));
      if (result.rowCount !== 1) throw new ConcurrentInsertError('an id of this batch was inserted concurrently; retrying');
      await client.query('RELEASE SAVEPOINT bulwark_row');
      return true;
    } catch (err) {
      if (!isPgDataError(err)) throw err;
      await client.query('ROLLBACK TO SAVEPOINT bulwark_row');
      dropped(row, err);
      return false;
    }
  }

  private async lastCheckpointOf(client: pg.ClientBase, partition: string, now: number): Promise<{ seq: number; atMs: number }> {
    let last = this.lastCheckpoints.get(partition);
    if (last === undefined) {
      const { rows } = await client.query<{ seq: number; time: string }>(`SELECT seq::float8 AS seq, time FROM ${this.q}.audit_checkpoints WHERE partition = $1 ORDER BY seq DESC LIMIT 1`, [partition]);
      const atMs = rows[0] ? Date.parse(rows[0].time) : NaN;
      last = { seq: rows[0]?.seq ?? 0, atMs: Number.isNaN(atMs) ? now : atMs };
      this.lastCheckpoints.set(partition, last);
    }
    return last;
  }

  private async writeDueCheckpoints(client: pg.ClientBase, heads: Map<string, { seq: number; hash: string; advanced: boolean }>, now: number, force: boolean) {
    const written: { partition: string; seq: number; atMs: number }[] = [];
    const policy = this.policy;
    if (policy === null) return written;
    for (const [partition, head] of heads) {
      if (!head.advanced) continue;
      const last = await this.lastCheckpointOf(client, partition, now);
      if (head.seq <= last.seq) continue;
      if (!force && head.seq - last.seq < policy.everyRecords && now - last.atMs < policy.intervalMs) continue;
      const time = new Date(now).toISOString();
      const signature = signCheckpoint(policy.key.privateKey, partition, head.seq, head.hash, time);
      await client.query(
        `INSERT INTO ${this.q}.audit_checkpoints (partition, seq, hash, time, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [partition, head.seq, head.hash, time, policy.key.keyId, signature],
      );
      written.push({ partition, seq: head.seq, atMs: now });
    }
    return written;
  }

  private afterCommit(heads: Map<string, { seq: number; advanced: boolean }>, checkpoints: { partition: string; seq: number; atMs: number }[]): void {
    if (this.policy === null) return;
    for (const cp of checkpoints) this.lastCheckpoints.set(cp.partition, { seq: cp.seq, atMs: cp.atMs });
    for (const [partition, head] of heads) {
      if (!head.advanced) continue;
      if ((this.lastCheckpoints.get(partition)?.seq ?? 0) >= head.seq) this.uncovered.delete(partition);
      else this.uncovered.add(partition);
    }
  }
}
