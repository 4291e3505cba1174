// The range check of parallel verification (parallel-verify.ts), shared by the worker threads
// (src/store/verify-range.worker.mjs) and the calling thread, which verifies ranges too. Plain
// JavaScript because the workers run without tsx. It only says whether a range is intact; the
// caller verifies the partition again sequentially when one is not (exact report).
import { recordIntact } from './chain-format.mjs';

/**
 * Checks records lo..hi of a partition, read page by page from `pages` (an async iterable of
 * record arrays in seq order, as recordFromRow builds them): seq continuity, links (the first
 * against `job.anchor` when given), hashes and content digests, and the checkpoints of the range
 * (`checkpointValid(cp)` checks a signature). Returns { ok: true, records, checkpoints,
 * contentCleared, firstPrev, lastHash } or { ok: false, error }.
 */
export async function checkRange(job, pages, checkpointValid) {
  const { partition, lo, hi, checkpoints } = job;
  let expectedSeq = lo;
  let expectedPrev = job.anchor;
  let firstPrev = null;
  let cp = 0;
  let contentCleared = 0;
  const fail = (error) => ({ id: job.id, ok: false, error });
  for await (const page of pages) {
    for (let i = 0; i < page.length; i++) {
      const record = page[i];
      if (record.seq !== expectedSeq) return fail(`seq ${record.seq} where ${expectedSeq} was expected`);
      if (expectedPrev !== null && record.prevHash !== expectedPrev) return fail(`broken link at seq ${record.seq}`);
      if (firstPrev === null) firstPrev = record.prevHash;
      if (recordIntact(partition, record) !== true) return fail(`record at seq ${record.seq} is not intact`);
      while (cp < checkpoints.length && checkpoints[cp].seq <= record.seq) {
        const c = checkpoints[cp];
        if (c.seq !== record.seq || c.hash !== record.hash || !checkpointValid(c)) return fail(`checkpoint at seq ${c.seq}`);
        cp++;
      }
      if (record.format === 2 && (record.content === null || record.content === undefined) && record.values[record.values.length - 1] !== null) contentCleared++;
      expectedPrev = record.hash;
      expectedSeq++;
    }
  }
  if (expectedSeq !== hi + 1 || cp !== checkpoints.length || firstPrev === null) return fail('range ends early');
  return { id: job.id, ok: true, records: hi - lo + 1, checkpoints: cp, contentCleared, firstPrev, lastHash: expectedPrev };
}
