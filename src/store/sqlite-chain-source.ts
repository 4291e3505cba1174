import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { CHAIN_READ_COLUMNS, recordFromRow } from '../audit/chain-format.mjs';
import type { ChainCheckpoint, ChainRecord, ChainSource, SeqRange } from '../audit/verify.ts';

/**
 * Records read per query; each page is one synchronous `.all()`, so no statement stays open
 * between pages. Small pages keep each page's strings (~2.5 KB a record) inside V8's young
 * generation, where they die cheaply: 256 verified about twice as fast as 4 096, whose pages
 * (~10 MB) were promoted and left to full garbage collections (ADR 0008, update 2026-11-26).
 */
const PAGE = 256;

/** Worker module of parallel verification (src/audit/parallel-verify.ts). */
const RANGE_WORKER_URL = new URL('./verify-range.worker.mjs', import.meta.url);

/**
 * Reads the audit chain of a SQLite event database (any connection, read-only is enough)
 * for verifyChain: keyset pages in seq order over the (partition, seq) index, raw rows,
 * and a turn of the event loop between pages so a long verification does not starve it.
 * For a database file (not an in-memory one) it also lets verifyChain check seq ranges on
 * worker threads, each with its own read-only connection to the same file.
 */
export function sqliteChainSource(db: Database): ChainSource {
  const pageSql = `SELECT ${CHAIN_READ_COLUMNS.join(', ')} FROM events WHERE partition = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ${PAGE}`;
  const page = db.prepare(pageSql).raw(true);
  const partitions = db.prepare('SELECT DISTINCT partition FROM events WHERE seq IS NOT NULL UNION SELECT DISTINCT partition FROM audit_checkpoints ORDER BY 1').pluck(true);
  const checkpoints = db.prepare('SELECT partition, seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints WHERE partition = ? AND seq >= ? AND seq <= ? ORDER BY seq');
  const bounds = db.prepare('SELECT MIN(seq) AS min, MAX(seq) AS max FROM events WHERE partition = ? AND seq IS NOT NULL');
  const source: ChainSource = {
    partitions: async () => partitions.all() as string[],
    async *records(partition: string, range: SeqRange): AsyncIterable<ChainRecord[]> {
      let after = (range.from ?? 1) - 1;
      const to = range.to ?? Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = page.all(partition, after, to) as unknown[][];
        if (rows.length === 0) return;
        const batch = new Array<ChainRecord>(rows.length);
        for (let i = 0; i < rows.length; i++) batch[i] = recordFromRow(rows[i]!) as ChainRecord;
        after = batch[batch.length - 1]!.seq;
        yield batch;
        if (rows.length < PAGE) return;
        await yieldToLoop();
      }
    },
    checkpoints: async (partition: string, range: SeqRange) =>
      checkpoints.all(partition, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as ChainCheckpoint[],
  };
  if (!db.memory && db.name !== '' && db.name !== ':memory:') {
    source.parallel = {
      workerUrl: RANGE_WORKER_URL,
      workerData: { kind: 'sqlite', path: db.name, pageSql, pageSize: PAGE },
      bounds: async (partition: string) => {
        const row = bounds.get(partition) as { min: number | null; max: number | null };
        return row.min === null || row.max === null ? null : { min: row.min, max: row.max };
      },
    };
  }
  return source;
}
