import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { CHAINED_FIELDS } from '../audit/chain-format.mjs';
import type { ChainedValue } from '../audit/chain-format.mjs';
import type { ChainCheckpoint, ChainRecord, ChainSource, SeqRange } from '../audit/verify.ts';

/** Records read per query; each page is one synchronous `.all()`, so no statement stays open between pages. */
const PAGE = 4_096;

/**
 * Reads the audit chain of a SQLite event database (any connection, read-only is enough)
 * for verifyChain: keyset pages in seq order over the (partition, seq) index, raw rows,
 * and a turn of the event loop between pages so a long verification does not starve it.
 */
export function sqliteChainSource(db: Database): ChainSource {
  const columns = ['seq', 'prev_hash', 'hash', ...CHAINED_FIELDS].join(', ');
  const page = db.prepare(`SELECT ${columns} FROM events WHERE partition = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ${PAGE}`).raw(true);
  const partitions = db.prepare('SELECT DISTINCT partition FROM events WHERE seq IS NOT NULL UNION SELECT DISTINCT partition FROM audit_checkpoints ORDER BY 1').pluck(true);
  const checkpoints = db.prepare('SELECT partition, seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints WHERE partition = ? AND seq >= ? AND seq <= ? ORDER BY seq');
  return {
    partitions: async () => partitions.all() as string[],
    async *records(partition: string, range: SeqRange): AsyncIterable<ChainRecord[]> {
      let after = (range.from ?? 1) - 1;
      const to = range.to ?? Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = page.all(partition, after, to) as unknown[][];
        if (rows.length === 0) return;
        const batch = new Array<ChainRecord>(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          batch[i] = { seq: row[0] as number, prevHash: row[1] as string, hash: row[2] as string, values: row.slice(3) as ChainedValue[] };
        }
        after = batch[batch.length - 1]!.seq;
        yield batch;
        if (rows.length < PAGE) return;
        await yieldToLoop();
      }
    },
    checkpoints: async (partition: string, range: SeqRange) =>
      checkpoints.all(partition, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as ChainCheckpoint[],
  };
}
