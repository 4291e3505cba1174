import type { VerifyResult } from '../audit/verify.ts';
import type { Logger } from '../telemetry/logger.ts';
import { encodeRecord, Spool } from './spool.ts';
import { describeError } from './sqlite-writer.ts';
import type { AuditedEventStore, EventQuery, EventStoreStats, GatewayEvent, StoreVerifyOptions } from './types.ts';

/** A store that can commit one batch now, without queueing or retrying it (the PostgreSQL store). */
export interface BatchCommitter {
  commitBatch(events: readonly GatewayEvent[]): Promise<void>;
}

export type SpoolOnFull = 'keep-serving' | 'fail-closed';

export interface SpoolingEventStoreOptions {
  inner: AuditedEventStore;
  /** The spool file (in the data directory). */
  path: string;
  /** Most bytes of unreplayed records the spool may hold. */
  maxBytes: number;
  onFull: SpoolOnFull;
  logger: Logger;
  /** How long an appended event may wait before its batch is written (default 50). */
  flushIntervalMs?: number;
  /** Most events per commit (default 500). */
  maxBatch?: number;
  /** Most events held in memory when they can neither be committed nor spooled (default 100000). */
  maxQueued?: number;
}

const MAX_RETRY_DELAY_MS = 5_000;
const ERROR_LOG_EVERY_MS = 10_000;
/** Fail-closed serving resumes once the spool is below this share of maxBytes. */
const RESUME_BELOW = 0.9;

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

function hasCommitBatch(store: unknown): store is BatchCommitter {
  return typeof (store as Partial<BatchCommitter>).commitBatch === 'function';
}

/** Opens the spool file (replaying nothing yet) and wraps `inner`; see src/store/README.md "Durability spool". */
export async function createSpoolingEventStore(options: SpoolingEventStoreOptions): Promise<SpoolingEventStore> {
  const opened = await Spool.open(options.path);
  const stats = opened.spool.stats();
  if (opened.tornBytes > 0) options.logger.warn({ tornBytes: opened.tornBytes }, 'event spool: cut a torn last record (written during a crash); it was never acknowledged as spooled');
  if (opened.corrupt > 0) options.logger.error({ corrupt: opened.corrupt }, 'event spool: corrupt records will be skipped on replay');
  if (stats.records > 0) options.logger.warn({ records: stats.records, bytes: stats.bytes }, 'event spool holds events from an earlier run; replaying them before new events');
  return new SpoolingEventStore(opened.spool, options);
}

/**
 * Wraps a store so batches it cannot commit go to a local spool file and are replayed, in
 * order and before newer events, when it comes back. Same `EventStore` contract, except
 * that `close()` resolves once everything is committed *or spooled*.
 */
export class SpoolingEventStore implements AuditedEventStore {
  private readonly inner: AuditedEventStore;
  private readonly spool: Spool;
  private readonly log: Logger;
  private readonly maxBytes: number;
  private readonly onFull: SpoolOnFull;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private queue: GatewayEvent[] = [];
  /** Ordinal (count of appends) of queue[0]. */
  private queueStart = 0;
  private appended = 0;
  /** Events up to this ordinal are committed, or dropped. */
  private done = 0;
  /** Events up to this ordinal have left the memory queue (committed, spooled or dropped). */
  private spooledUpTo = 0;
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private nextAttemptAt = 0;
  private lastErrorLogAt = 0;
  private lastDropLogAt = 0;
  private dropped = 0;
  private droppedInStreak = 0;
  private full = false;
  private closing: Promise<void> | null = null;
  private closed = false;

  constructor(spool: Spool, options: SpoolingEventStoreOptions) {
    this.inner = options.inner;
    this.spool = spool;
    this.log = options.logger;
    this.maxBytes = options.maxBytes;
    this.onFull = options.onFull;
    this.intervalMs = Math.max(1, options.flushIntervalMs ?? 50);
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.maxQueued = Math.max(this.maxBatch, options.maxQueued ?? 100_000);
    if (spool.stats().records > 0) this.schedule(0);
  }

  append(event: GatewayEvent): void {
    if (this.closed) throw new Error('event store is closed: append() called after close()');
    if (this.queue.length >= this.maxQueued) {
      // Not counted in `appended`: ordinals number the events that entered the queue.
      this.drop(1, 'memory queue full');
      return;
    }
    this.appended++;
    this.queue.push(event);
    this.schedule(this.queue.length >= this.maxBatch && this.failures === 0 ? 0 : this.intervalMs);
  }

  /** False while `onFull: fail-closed` and the spool is full: the gateway answers 503 BULWARK_AUDIT_UNAVAILABLE. */
  isAccepting(): boolean {
    return !(this.onFull === 'fail-closed' && this.full);
  }

  stats(): EventStoreStats {
    const spool = this.spool.stats();
    return { queued: this.queue.length, spool: { ...spool, maxBytes: this.maxBytes, full: this.full }, dropped: this.dropped, failing: this.failures > 0, accepting: this.isAccepting() };
  }

  /** Resolves once everything appended before the call is committed to the backing store; rejects (events kept, spooled) when a write fails. */
  flush(): Promise<void> {
    const target = this.appended;
    if (this.done >= target) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
    // An explicit flush tries the store now, skipping the back-off.
    this.nextAttemptAt = 0;
    this.schedule(0);
    return promise;
  }

  get(id: string): Promise<GatewayEvent | null> {
    return this.inner.get(id);
  }

  list(query?: EventQuery): Promise<GatewayEvent[]> {
    return this.inner.list(query);
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  verifyChain(options?: StoreVerifyOptions): Promise<VerifyResult> {
    return this.inner.verifyChain(options);
  }

  /** Tries once more to commit; whatever still fails goes to the spool (replayed at the next start). Then closes both. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.clearTimer();
    if (this.running) await this.running;
    this.nextAttemptAt = 0;
    await this.runPump(true);
    // Appends that arrived meanwhile, or a queue the spool could not take: spool what fits (drop the rest, logged).
    for (let tries = 0; this.queue.length > 0; tries++) {
      if (tries >= 3) {
        this.drop(this.queue.length, 'spool unwritable on close');
        this.queue = [];
        break;
      }
      if (this.failures === 0) await this.runPump(true);
      if (this.queue.length > 0) await this.spoolQueue(true);
    }
    const left = this.spool.stats();
    if (left.records > 0) this.log.warn({ records: left.records, bytes: left.bytes }, 'event store closed with events in the spool; they are replayed at the next start');
    if (this.dropped > 0) this.log.error({ dropped: this.dropped }, 'event store dropped events (spool full or memory queue full)');
    this.closed = true;
    this.clearTimer();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) (this.done >= w.target ? w.resolve() : w.reject(new Error('event store closed with events spooled, not committed')));
    await this.spool.close();
    try {
      await this.inner.close();
    } catch (err) {
      // The SQLite store keeps failed batches queued; they are in the spool as well.
      this.log.warn({ err: describeError(err) }, 'backing event store did not close cleanly; its unwritten events are in the spool');
    }
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runPump(false);
    }, delayMs);
    // Like the stores' writers: a pending flush keeps the process alive, an idle store does not.
    if (this.waiters.length === 0) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private runPump(final: boolean): Promise<void> {
    if (this.running) return this.running;
    this.running = this.pump(final)
      .catch((err: unknown) => this.log.error({ err: describeError(err) }, 'event spool failed'))
      .finally(() => {
        this.running = null;
        if (!final && this.closing === null) this.reschedule();
      });
    return this.running;
  }

  private reschedule(): void {
    const spooled = this.spool.stats().records > 0;
    if (!spooled && this.queue.length === 0) return;
    if (this.failures > 0) {
      const untilAttempt = Math.max(0, this.nextAttemptAt - Date.now());
      this.schedule(this.queue.length > 0 ? Math.min(untilAttempt, this.intervalMs) : untilAttempt);
    } else {
      this.schedule(spooled || this.waiters.length > 0 || this.queue.length >= this.maxBatch ? 0 : this.intervalMs);
    }
  }

  /** Replays the spool, then commits the queue; on a failure moves the queue into the spool. */
  private async pump(final: boolean): Promise<void> {
    for (;;) {
      const waiting = this.failures > 0 && Date.now() < this.nextAttemptAt;
      const left = this.spool.stats();
      // Only corrupt lines left (logged when met): discard them so the file is truncated.
      if (left.records === 0 && left.bytes > 0) await this.spool.advance(Number.MAX_SAFE_INTEGER, 0);
      if (this.spool.stats().records > 0) {
        if (waiting) return this.spoolQueue(final);
        const { events, end } = await this.spool.peek(this.maxBatch);
        try {
          await this.commit(events);
        } catch (err) {
          this.onFailure(err);
          return this.spoolQueue(final);
        }
        await this.spool.advance(end, events.length);
        this.onSuccess();
        if (this.spool.stats().records === 0) this.settle(this.spooledUpTo);
        continue;
      }
      if (this.queue.length === 0) return;
      if (waiting) return this.spoolQueue(final);
      const batch = this.queue.splice(0, this.maxBatch);
      const end = this.queueStart + batch.length;
      this.queueStart = end;
      try {
        await this.commit(batch);
      } catch (err) {
        this.onFailure(err);
        // Back in front of the queue, then the whole queue (in order) goes to the spool.
        this.queue.unshift(...batch);
        this.queueStart -= batch.length;
        return this.spoolQueue(final);
      }
      this.spooledUpTo = end;
      this.onSuccess();
      this.settle(end);
      if (!final && this.waiters.length === 0 && this.queue.length < this.maxBatch) return;
    }
  }

  private async commit(events: readonly GatewayEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (hasCommitBatch(this.inner)) return this.inner.commitBatch(events);
    for (const event of events) this.inner.append(event);
    await this.inner.flush();
  }

  /** Moves the memory queue into the spool (fsync'd), as far as maxBytes allows. */
  private async spoolQueue(final: boolean): Promise<void> {
    if (this.queue.length === 0) return;
    const records: Buffer[] = [];
    let bytes = this.spool.stats().bytes;
    let fit = 0;
    for (const event of this.queue) {
      const record = encodeRecord(event);
      if (bytes + record.length > this.maxBytes) break;
      bytes += record.length;
      records.push(record);
      fit++;
    }
    const batch = this.queue.splice(0, fit);
    // Events appended while the write is awaited are not part of this decision.
    const overflow = this.queue.length;
    try {
      await this.spool.append(records);
    } catch (err) {
      this.queue.unshift(...batch);
      this.log.error({ err: describeError(err), path: this.spool.path }, 'event spool: write failed; events stay in memory');
      return;
    }
    this.queueStart += batch.length;
    this.spooledUpTo = this.queueStart;
    if (overflow === 0) return;
    // The spool is full: the first `overflow` queued events did not fit.
    if (!this.full) this.log.error({ maxBytes: this.maxBytes, onFull: this.onFull }, this.onFull === 'fail-closed' ? 'event spool is FULL: refusing requests with 503 BULWARK_AUDIT_UNAVAILABLE until it drains' : 'event spool is FULL: events are being DROPPED until it drains');
    this.full = true;
    if (this.onFull === 'keep-serving' || final) {
      const lost = overflow;
      this.queue.splice(0, lost);
      this.queueStart += lost;
      this.spooledUpTo = this.queueStart;
      // Counted as done once the spool before them drains (settle(spooledUpTo)).
      this.drop(lost, 'spool full');
    }
  }

  private drop(count: number, reason: string): void {
    this.dropped += count;
    this.droppedInStreak += count;
    const now = Date.now();
    if (this.droppedInStreak === count || now - this.lastDropLogAt >= ERROR_LOG_EVERY_MS) {
      this.lastDropLogAt = now;
      this.log.error({ dropped: this.dropped, reason }, 'event store DROPPED events: they are lost from the audit record');
    }
  }

  private onFailure(err: unknown): void {
    this.failures++;
    this.nextAttemptAt = Date.now() + Math.min(MAX_RETRY_DELAY_MS, this.intervalMs * 2 ** Math.min(this.failures, 16));
    const now = Date.now();
    if (this.failures === 1 || now - this.lastErrorLogAt >= ERROR_LOG_EVERY_MS) {
      this.lastErrorLogAt = now;
      this.log.error({ err: describeError(err), failures: this.failures, spool: this.spool.stats() }, 'event store write failed; events go to the spool');
    }
    const waiters = this.waiters;
    this.waiters = [];
    const error = err instanceof Error ? err : new Error(String(err));
    for (const w of waiters) w.reject(error);
  }

  private onSuccess(): void {
    if (this.failures > 0) {
      this.log.info({ failures: this.failures, spool: this.spool.stats(), dropped: this.dropped }, 'event store writes recovered; replaying the spool');
      this.failures = 0;
      this.nextAttemptAt = 0;
    }
    if (this.full && this.spool.stats().bytes < this.maxBytes * RESUME_BELOW) {
      this.full = false;
      this.droppedInStreak = 0;
      this.log.warn({ spool: this.spool.stats() }, 'event spool has room again');
    }
  }

  private settle(upTo: number): void {
    if (upTo > this.done) this.done = upTo;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.target <= this.done);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.target > this.done);
    for (const w of ready) w.resolve();
  }
}
