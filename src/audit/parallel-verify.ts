import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GENESIS_HASH } from './chain-format.mjs';
import { checkRange } from './range-check.mjs';
import type { ChainCheckpoint, ChainSource, ParallelChainSource, PartitionOutcome, VerifyOptions } from './verify.ts';
import { checkpointProblem, verifyPartition } from './verify.ts';

/**
 * Verification of one partition split into seq ranges checked in parallel: by worker threads,
 * each on its own database connection (the source's `parallel` descriptor names the worker
 * module and how to connect), and by the calling thread itself, through the source, so N
 * threads cost N - 1 worker start-ups. A range check (range-check.mjs) covers its range completely (seq continuity, links inside
 * the range, hashes, content digests, the checkpoints in the range) and returns the
 * prev_hash of its first record and the hash of its last; this thread joins the ranges
 * (each range's first prev_hash must be the previous range's last hash). Workers only say
 * whether a range is intact: whenever one is not, or a join fails, the partition is verified
 * again sequentially (verifyPartition), which reports the first problem by position exactly
 * as before. Tampering is rare; the exact report matters more than its speed.
 */

/** Below this many records a partition is verified on the calling thread: starting workers would cost more. */
export const MIN_PARALLEL_RECORDS = 20_000;
/** Default thread count (the calling thread included): one per available CPU, at most this many. */
const MAX_DEFAULT_WORKERS = 4;

/** What the calling thread sends a worker: verify records lo..hi of a partition. */
export interface RangeJob {
  id: number;
  partition: string;
  lo: number;
  hi: number;
  /** prev_hash the first record must carry (GENESIS_HASH for seq 1), or null to take it as given. */
  anchor: string | null;
  checkpoints: ChainCheckpoint[];
}

/** A worker's answer: the range is intact (with its boundary hashes) or it is not. */
export type RangeResult =
  | { id: number; ok: true; records: number; checkpoints: number; contentCleared: number; firstPrev: string; lastHash: string }
  | { id: number; ok: false; error?: string };

/** The number of threads (the calling thread included) verifyChain uses by default. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, availableParallelism()));
}

/** A fixed set of worker threads taking range jobs in order. */
export class RangeWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { job: RangeJob; resolve: (r: RangeResult) => void }[] = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (r: RangeResult) => void }>();
  private nextId = 1;

  constructor(parallel: ParallelChainSource, size: number, verifyKey: VerifyOptions['verifyKey']) {
    const workerData = {
      ...parallel.workerData,
      verifyKey: verifyKey === null ? null : { keyId: verifyKey.keyId, publicKeyPem: verifyKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    };
    for (let i = 0; i < size; i++) {
      // Plain JavaScript, like the SQLite writer thread: it must not depend on tsx's loader.
      const worker = new Worker(parallel.workerUrl, { workerData, execArgv: [] });
      worker.on('message', (message: RangeResult) => this.settle(worker, message));
      // A worker that fails answers its job with ok: false (the partition is then verified sequentially).
      worker.on('error', (err: Error) => this.failWorker(worker, err.message));
      worker.on('exit', () => this.failWorker(worker, 'worker exited'));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run(job: Omit<RangeJob, 'id'>): Promise<RangeResult> {
    // Every worker failed: the range is reported not intact, so the partition is verified sequentially.
    if (this.workers.length === 0) return Promise.resolve({ id: 0, ok: false, error: 'no verification worker is running' });
    return new Promise((resolve) => {
      this.waiting.push({ job: { ...job, id: this.nextId++ }, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const { job, resolve } = this.waiting.shift()!;
      this.pending.set(job.id, { worker, resolve });
      worker.postMessage(job);
    }
  }

  private settle(worker: Worker, result: RangeResult): void {
    const entry = this.pending.get(result.id);
    if (entry === undefined) return;
    this.pending.delete(result.id);
    this.idle.push(worker);
    entry.resolve(result);
    this.dispatch();
  }

  private failWorker(worker: Worker, error: string): void {
    for (const [id, entry] of this.pending) {
      if (entry.worker !== worker) continue;
      this.pending.delete(id);
      entry.resolve({ id, ok: false, error });
    }
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    // No worker left: the remaining jobs fail too, so their partitions are verified sequentially.
    if (this.workers.length === 0) for (const { job, resolve } of this.waiting.splice(0)) resolve({ id: job.id, ok: false, error });
  }
}

/** Splits lo..hi into about `parts` ranges of at least `minRange` records. */
export function splitRange(lo: number, hi: number, parts: number, minRange: number): [number, number][] {
  const n = hi - lo + 1;
  const count = Math.max(1, Math.min(parts, Math.floor(n / Math.max(1, minRange))));
  const size = Math.ceil(n / count);
  const ranges: [number, number][] = [];
  for (let start = lo; start <= hi; start += size) ranges.push([start, Math.min(hi, start + size - 1)]);
  return ranges;
}

/**
 * Verifies one partition with the pool when it is large enough; otherwise, or when any range
 * is not intact, sequentially on this thread (the exact report). Same outcome as verifyPartition.
 */
export async function verifyPartitionInParallel(source: ChainSource, parallel: ParallelChainSource, lazyPool: { get(): RangeWorkerPool }, size: number, partition: string, options: VerifyOptions): Promise<PartitionOutcome> {
  const bounds = await parallel.bounds(partition);
  const from = options.from ?? 1;
  const lo = from <= 1 ? 1 : from;
  const hi = bounds === null ? 0 : Math.min(options.to ?? Number.MAX_SAFE_INTEGER, bounds.max);
  const threshold = Math.max(2, options.minParallelRecords ?? MIN_PARALLEL_RECORDS);
  if (bounds === null || hi - lo + 1 < threshold) return verifyPartition(source, partition, options);
  const range = { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) };
  const checkpoints = await source.checkpoints(partition, range);
  // A checkpoint past the records (tail truncation) or before the range start: the sequential path reports it.
  if (checkpoints.some((cp) => cp.seq > hi || cp.seq < lo)) return verifyPartition(source, partition, options);
  // Twice as many ranges as threads, so a thread slowed by a busy machine does not hold up the rest.
  const jobs = splitRange(lo, hi, size * 2, threshold / 2).map(([start, end], index) => ({
    partition,
    lo: start,
    hi: end,
    anchor: index === 0 ? (from <= 1 ? GENESIS_HASH : null) : null,
    checkpoints: checkpoints.filter((cp) => cp.seq >= start && cp.seq <= end),
  }));
  const results = new Array<RangeResult>(jobs.length);
  let next = 0;
  const pool = lazyPool.get();
  const lanes: Promise<void>[] = [];
  for (let w = 0; w < size - 1; w++) {
    lanes.push(
      (async () => {
        while (next < jobs.length) {
          const i = next++;
          results[i] = await pool.run(jobs[i]!);
        }
      })(),
    );
  }
  // The calling thread takes ranges too, reading through the source (a turn of the event loop between pages).
  const valid = (cp: ChainCheckpoint) => checkpointProblem(cp, options.verifyKey) === null;
  lanes.push(
    (async () => {
      while (next < jobs.length) {
        const i = next++;
        const job = jobs[i]!;
        results[i] = await checkRange({ ...job, id: 0 }, source.records(partition, { from: job.lo, to: job.hi }), valid);
      }
    })(),
  );
  await Promise.all(lanes);
  let records = 0;
  let checked = 0;
  let contentCleared = 0;
  let previousLast: string | null = null;
  for (const result of results) {
    if (!result.ok || (previousLast !== null && result.firstPrev !== previousLast)) return verifyPartition(source, partition, options);
    records += result.records;
    checked += result.checkpoints;
    contentCleared += result.contentCleared;
    previousLast = result.lastHash;
  }
  return { records, checkpoints: checked, contentCleared, problem: null };
}
