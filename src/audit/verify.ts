import { verify as verifySignature } from 'node:crypto';
import { checkpointBytes, GENESIS_HASH, recordIntact } from './chain-format.mjs';
import type { ChainRecordShape } from './chain-format.mjs';
import type { AuditVerifyKey } from './signing-key.ts';
import { defaultWorkers, RangeWorkerPool, verifyPartitionInParallel } from './parallel-verify.ts';

/** One chained record as stored: its position, links and the values the hash covers (its format's field order). The shape is declared once, beside the byte format. */
export type ChainRecord = ChainRecordShape;

/** A signed statement that `partition` had head `hash` at `seq`. */
export interface ChainCheckpoint {
  partition: string;
  seq: number;
  hash: string;
  time: string;
  keyId: string;
  /** Base64 Ed25519 signature over checkpointBytes(partition, seq, hash, time). */
  signature: string;
}

/** Inclusive seq range; absent ends are open. */
export interface SeqRange {
  from?: number;
  to?: number;
}

/** Where verification reads from; each store provides one. */
export interface ChainSource {
  /** Partitions that hold chained records, in name order. */
  partitions(): Promise<string[]>;
  /** Records of one partition in seq order, in batches (one await per batch, not per record). */
  records(partition: string, range: SeqRange): AsyncIterable<ChainRecord[]>;
  /** Checkpoints of one partition in seq order. */
  checkpoints(partition: string, range: SeqRange): Promise<ChainCheckpoint[]>;
  /** Optional: lets verifyChain check seq ranges on worker threads (src/audit/parallel-verify.ts). */
  parallel?: ParallelChainSource;
}

/** What a worker thread needs to read and verify a seq range of a store on its own connection. */
export interface ParallelChainSource {
  /** The worker module (plain JavaScript, runs without tsx); it implements the protocol of parallel-verify.ts. */
  workerUrl: URL;
  /** Passed to the worker as workerData (connection details, the page query). */
  workerData: Record<string, unknown>;
  /** Lowest and highest seq stored in a partition (null when it has no records). */
  bounds(partition: string): Promise<{ min: number; max: number } | null>;
}

export type ProblemKind = 'edited' | 'missing' | 'reordered' | 'bad-checkpoint';

export interface ChainProblem {
  partition: string;
  /** The seq position where the chain first goes wrong. */
  position: number;
  kind: ProblemKind;
  /** What was found, without record content. */
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  /** The first problem of each partition that has one, in partition order. */
  problems: ChainProblem[];
  partitions: string[];
  records: number;
  checkpoints: number;
  /** False when no verification key was available: checkpoint hashes were compared, signatures were not. */
  signaturesChecked: boolean;
  /** v2 records whose content is gone (cleared by retention) while their digest is chained. */
  contentCleared?: number;
  /** Threads that verified in parallel, the calling thread included (0: the calling thread alone, sequentially). */
  workers?: number;
  elapsedMs: number;
  recordsPerSecond: number;
}

export interface VerifyOptions extends SeqRange {
  /** Only this partition (default: all). */
  partition?: string;
  /** Threads verifying a large partition in parallel, the calling thread included, for sources that support it (default: one per CPU, at most 4; 0 or 1: the calling thread alone). */
  workers?: number;
  /** Partitions with fewer records than this are verified on the calling thread (default 20 000). */
  minParallelRecords?: number;
  /** Checks checkpoint signatures; null skips them (reported as `signaturesChecked: false`). */
  verifyKey: AuditVerifyKey | null;
}

/** Records compared around a broken link to tell a swap from a deletion. */
const LOOKAHEAD = 8;

/**
 * Verifies the chain: per partition, streams records in seq order, recomputes each
 * hash, checks seq continuity and prev_hash links, and checks every checkpoint's
 * signature and that its hash is the record's hash at its seq. Reports the first
 * problem of each partition by position. See src/audit/README.md for the kinds.
 */
export async function verifyChain(source: ChainSource, options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const all = await source.partitions();
  const partitions = options.partition === undefined ? all : [options.partition];
  const problems: ChainProblem[] = [];
  let records = 0;
  let checkpoints = 0;
  let contentCleared = 0;
  const workers = source.parallel === undefined ? 0 : Math.max(0, Math.floor(options.workers ?? defaultWorkers()));
  // Workers start only when a partition is big enough for them (parallel-verify.ts).
  let pool: RangeWorkerPool | null = null;
  try {
    for (const partition of partitions) {
      const parallel = source.parallel;
      let outcome: PartitionOutcome;
      if (parallel !== undefined && workers > 1) {
        outcome = await verifyPartitionInParallel(source, parallel, { get: () => (pool ??= new RangeWorkerPool(parallel, workers - 1, options.verifyKey)) }, workers, partition, options);
      } else {
        outcome = await verifyPartition(source, partition, options);
      }
      records += outcome.records;
      checkpoints += outcome.checkpoints;
      contentCleared += outcome.contentCleared;
      if (outcome.problem) problems.push(outcome.problem);
    }
  } finally {
    await (pool as RangeWorkerPool | null)?.close();
  }
  const elapsedMs = performance.now() - started;
  return {
    ok: problems.length === 0,
    problems,
    partitions,
    records,
    checkpoints,
    signaturesChecked: options.verifyKey !== null,
    contentCleared,
    workers: pool === null ? 0 : workers,
    elapsedMs,
    recordsPerSecond: elapsedMs > 0 ? Math.round((records * 1000) / elapsedMs) : 0,
  };
}

export interface PartitionOutcome {
  records: number;
  checkpoints: number;
  contentCleared: number;
  problem: ChainProblem | null;
}

export function checkpointProblem(cp: ChainCheckpoint, key: AuditVerifyKey | null): string | null {
  if (key === null) return null;
  if (cp.keyId !== key.keyId) return `checkpoint at seq ${cp.seq} is signed by key ${cp.keyId}, not the configured key ${key.keyId}`;
  let valid = false;
  try {
    valid = verifySignature(null, checkpointBytes(cp.partition, cp.seq, cp.hash, cp.time), key.publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? null : `checkpoint at seq ${cp.seq} has an invalid signature`;
}

/** Verifies one partition sequentially on this thread (exact first problem); parallel-verify.ts falls back to it. */
export async function verifyPartition(source: ChainSource, partition: string, options: VerifyOptions): Promise<PartitionOutcome> {
  const range: SeqRange = { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) };
  const cps = await source.checkpoints(partition, range);
  let cpIndex = 0;
  const iterator = source.records(partition, range)[Symbol.asyncIterator]();
  let buf: ChainRecord[] = [];
  let i = 0;
  let done = false;
  /** Makes buf[i + n - 1] available when the source has it; false at the end. */
  const ensure = async (n: number): Promise<boolean> => {
    while (i + n > buf.length && !done) {
      const next = await iterator.next();
      if (next.done) done = true;
      else {
        buf = i > 0 ? buf.slice(i).concat(next.value) : buf.concat(next.value);
        i = 0;
      }
    }
    return i + n <= buf.length;
  };
  const from = options.from ?? 1;
  let expectedSeq = from;
  // Starting mid-chain, the first record's own prev_hash is taken as the anchor.
  let expectedPrev: string | null = from <= 1 ? GENESIS_HASH : null;
  const recent: string[] = [];
  let checked = 0;
  let contentCleared = 0;
  const fail = (position: number, kind: ProblemKind, detail: string): PartitionOutcome => ({ records: checked, checkpoints: cpIndex, contentCleared, problem: { partition, position, kind, detail } });
  try {
    while (await ensure(1)) {
      const r = buf[i]!;
      checked++;
      // False also for a value of a type the format cannot hold (a blob written into the table).
      const intact = recordIntact(partition, r);
      const selfOk = intact === true;
      const linkOk = expectedPrev === null || r.prevHash === expectedPrev;
      if (!(selfOk && linkOk && r.seq === expectedSeq)) {
        await ensure(LOOKAHEAD + 1);
        const ahead = buf.slice(i + 1, i + 1 + LOOKAHEAD);
        if (r.seq < expectedSeq || (!linkOk && ahead.some((next) => next.hash === r.prevHash))) {
          return fail(expectedSeq, 'reordered', `record stored at seq ${r.seq} links to a record that comes after it (or repeats a seq)`);
        }
        if (r.seq > expectedSeq) return fail(expectedSeq, 'missing', `seq jumps from ${expectedSeq - 1} to ${r.seq}`);
        if (!linkOk && !recent.includes(r.prevHash)) return fail(expectedSeq, 'missing', `prev_hash of seq ${r.seq} names no record present: the record before it is gone`);
        if (intact === 'content') return fail(expectedSeq, 'edited', `stored content of seq ${r.seq} does not match its chained content_digest`);
        if (!selfOk) return fail(expectedSeq, 'edited', `hash of seq ${r.seq} does not match its content`);
        return fail(expectedSeq, 'reordered', `seq ${r.seq} links to an earlier record than seq ${r.seq - 1}`);
      }
      while (cpIndex < cps.length && cps[cpIndex]!.seq <= r.seq) {
        const cp = cps[cpIndex]!;
        const bad = checkpointProblem(cp, options.verifyKey) ?? (cp.seq === r.seq && cp.hash !== r.hash ? `checkpoint at seq ${cp.seq} names a different hash than the record` : null);
        if (bad !== null) return fail(cp.seq, 'bad-checkpoint', bad);
        cpIndex++;
      }
      if (r.format === 2 && (r.content === null || r.content === undefined) && r.values[r.values.length - 1] !== null) contentCleared++;
      expectedPrev = r.hash;
      expectedSeq = r.seq + 1;
      recent.push(r.hash);
      if (recent.length > LOOKAHEAD) recent.shift();
      i++;
    }
  } finally {
    await iterator.return?.();
  }
  // Checkpoints past the last record: signed heads whose records are gone (tail truncation).
  if (cpIndex < cps.length) {
    const cp = cps[cpIndex]!;
    const bad = checkpointProblem(cp, options.verifyKey);
    if (bad !== null) return fail(cp.seq, 'bad-checkpoint', bad);
    return fail(expectedSeq, 'missing', `a checkpoint vouches for seq ${cp.seq} but the records end at seq ${expectedSeq - 1}`);
  }
  return { records: checked, checkpoints: cpIndex, contentCleared, problem: null };
}

/** A source over records held in memory (golden vectors, tests). */
export function memoryChainSource(byPartition: Record<string, ChainRecord[]>, checkpoints: ChainCheckpoint[] = []): ChainSource {
  return {
    partitions: async () => Object.keys(byPartition).sort(),
    async *records(partition, range) {
      const from = range.from ?? -Infinity;
      const to = range.to ?? Infinity;
      yield (byPartition[partition] ?? []).filter((r) => r.seq >= from && r.seq <= to);
    },
    checkpoints: async (partition, range) =>
      checkpoints.filter((c) => c.partition === partition && c.seq >= (range.from ?? -Infinity) && c.seq <= (range.to ?? Infinity)).sort((a, b) => a.seq - b.seq),
  };
}
