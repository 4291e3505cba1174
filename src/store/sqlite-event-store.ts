import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../telemetry/logger.ts';
import { BatchTimer, FlushWaiters, retryDelayMs } from './batch-pacing.ts';
import { queuedRow } from './queued-row.ts';
import type { EventRow } from './event-row.ts';
import { migrate } from './migrations.ts';
import { EventReader } from './sqlite-reader.ts';
import { describeError, errorFrom, writerConfigFor, WriterThread } from './sqlite-writer.ts';
import type { WriterConfig, WriterError, WriterFault } from './sqlite-writer.ts';
import type { AuditedEventStore, EventQuery, EventStore, GatewayEvent, StoreVerifyOptions } from './types.ts';
import { checkpointPolicy } from '../audit/options.ts';
import type { AuditChainOptions } from '../audit/options.ts';
import { verifyChain } from '../audit/verify.ts';
import type { VerifyResult } from '../audit/verify.ts';

/** Options for {@link createSqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /** Database file; its parent directory is created when missing. `:memory:` (tests) uses a private temp file removed on close. */
  path: string;
  /** How long an appended event may wait before its batch is sent to the writer thread (default 50). */
  flushIntervalMs?: number;
  /**
   * Most events in one batch, which the writer thread commits as one transaction (default 100).
   * The main thread converts and posts a batch in one callback (roughly 5-10 µs per event), so this
   * also bounds the longest event-loop stall the store can cause while draining a backlog.
   */
  maxBatch?: number;
  /** Most events held in memory while the disk is failing; newer ones are dropped beyond it (default 100000). */
  maxQueued?: number;
  logger: Logger;
  /** Audit chain signing (src/audit/README.md); without it records are chained but no checkpoints are signed. */
  audit?: AuditChainOptions;
}

export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './sqlite-reader.ts';

// About 0.5-1 ms of main-thread work per batch; larger batches save little, the commit being cheap in WAL mode.
const DEFAULT_MAX_BATCH = 100;
// While writes keep failing, repeat the error log at most this often.
const ERROR_LOG_EVERY_MS = 10_000;
// close() stops waiting for the writer thread's final checkpoint after this and terminates it.
const WRITER_CLOSE_TIMEOUT_MS = 10_000;

/** Opens (creating and migrating when needed) a SQLite event store whose writes run on a worker thread. */
export function createSqliteEventStore(options: SqliteEventStoreOptions): AuditedEventStore {
  return new SqliteEventStore(options);
}

/**
 * Test-only: the next write attempts simulate a fault each (a failed write, or the
 * writer thread dying before or after its commit), so retry, restart and re-send can
 * be exercised without breaking a real disk.
 */
export function injectWriterFaults(store: EventStore, faults: readonly WriterFault[]): void {
  if (!(store instanceof SqliteEventStore)) throw new TypeError('injectWriterFaults needs a SQLite event store');
  store.armFaults(faults);
}

/** Creates the file, switches it to WAL and migrates it, on the main thread, before anything else opens it. */
function prepareDatabase(path: string): void {
  const db = new Database(path);
  try {
    // WAL lets the main thread's reader run beside the writer thread; the mode is stored in the file.
    db.pragma('journal_mode = WAL');
    migrate(db);
  } finally {
    db.close();
  }
}

/** Events taken off the queue and sent as one transaction; kept until the writer acknowledges them. */
interface Batch {
  seq: number;
  /** `settled` once this batch is acknowledged: every event up to here is then committed or dropped. */
  end: number;
  rows: EventRow[];
  sends: number;
}

class SqliteEventStore implements AuditedEventStore {
  private readonly log: Logger;
  private readonly audit: AuditChainOptions | undefined;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly tempDir: string | null;
  private readonly writerConfig: WriterConfig;
  private readonly reader: EventReader;
  private writer: WriterThread | null = null;
  /** Rows, converted at append: a queued event's object tree would otherwise outlive young-generation GCs (ADR 0001). */
  private queue: EventRow[] = [];
  /** At most one batch is at the writer at a time, so commits keep append order. */
  private inFlight: Batch | null = null;
  private awaitingReply = false;
  private nextSeq = 1;
  /** Events accepted by append, ever; `settled` counts the committed (or malformed) prefix of them. */
  private accepted = 0;
  private settled = 0;
  private readonly waiters = new FlushWaiters();
  private readonly timer = new BatchTimer(() => this.pump());
  private closeRequested = false;
  private closing: Promise<void> | null = null;
  private closed = false;
  private failures = 0;
  private deaths = 0;
  private lastErrorLogAt = 0;
  private dropped = 0;
  private faults: WriterFault[] = [];

  constructor(options: SqliteEventStoreOptions) {
    this.log = options.logger;
    this.intervalMs = Math.max(1, options.flushIntervalMs ?? 50);
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
    this.maxQueued = Math.max(this.maxBatch, options.maxQueued ?? 100_000);
    // A private file stands in for :memory:, which a second connection (the writer thread's) could not see.
    this.tempDir = options.path === ':memory:' ? mkdtempSync(join(tmpdir(), 'bulwark-events-')) : null;
    const path = this.tempDir === null ? options.path : join(this.tempDir, 'events.sqlite');
    try {
      if (this.tempDir === null) mkdirSync(dirname(path), { recursive: true });
      prepareDatabase(path);
      // Opened only after the migrations, so it never sees a half-built schema.
      this.reader = new EventReader(path);
    } catch (err) {
      this.removeTempDir();
      throw err;
    }
    this.audit = options.audit;
    const key = options.audit?.signingKey ?? null;
    const policy = checkpointPolicy(options.audit);
    this.writerConfig = writerConfigFor(
      path,
      key === null ? null : { privateKeyPem: key.privateKeyPem, keyId: key.keyId, checkpointEveryRecords: policy.everyRecords, checkpointIntervalMs: policy.intervalMs },
    );
    try {
      // Started now so its start-up overlaps the first requests instead of delaying the first write.
      this.startWriter();
    } catch (err) {
      // pump() tries again, with back-off, when there is something to write.
      this.log.error({ err: describeError(err) }, 'event store could not start its writer thread');
    }
  }

  append(event: GatewayEvent): void {
    if (this.closed) throw new Error('event store is closed: append() called after close()');
    if (this.queue.length + (this.inFlight?.rows.length ?? 0) >= this.maxQueued) {
      // Only reachable while writes keep failing; bounding memory beats an OOM crash.
      this.dropped++;
      return;
    }
    const row = queuedRow(event, this.log);
    if (row === null) return;
    this.queue.push(row);
    this.accepted++;
    // While a batch is at the writer its reply schedules the next one.
    if (this.awaitingReply) return;
    if (this.queue.length >= this.maxBatch && this.failures === 0) this.timer.schedule(0);
    else if (!this.timer.isPending()) this.timer.schedule(retryDelayMs(this.intervalMs, this.failures));
  }

  stats(): { queued: number; dropped: number } {
    return { queued: this.accepted - this.settled, dropped: this.dropped };
  }

  flush(): Promise<void> {
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    const done = this.waiters.wait(target);
    // flush means "write now": skip the interval or the retry back-off.
    if (!this.awaitingReply) {
      this.timer.clear();
      this.pump();
    }
    this.updateRef();
    return done;
  }

  get(id: string): Promise<GatewayEvent | null> {
    return this.read(() => this.reader.get(id));
  }

  list(query: EventQuery = {}): Promise<GatewayEvent[]> {
    return this.read(() => this.reader.list(query));
  }

  count(): Promise<number> {
    return this.read(() => this.reader.count());
  }

  /** Runs on the main thread's read connection; a turn of the event loop between pages of 4 096 records. */
  async verifyChain(options: StoreVerifyOptions = {}): Promise<VerifyResult> {
    if (this.closed) throw new Error('event store is closed');
    const key = this.audit?.signingKey ?? null;
    return verifyChain(this.reader.chainSource(), { ...options, verifyKey: key === null ? null : { publicKey: key.publicKey, keyId: key.keyId } });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** @internal See {@link injectWriterFaults}. */
  armFaults(faults: readonly WriterFault[]): void {
    this.faults.push(...faults);
  }

  private async shutdown(): Promise<void> {
    this.closeRequested = true;
    this.updateRef();
    try {
      // Loop: events appended while we wait must be written too, until close() resolves.
      while (this.settled < this.accepted) await this.flush();
    } catch (err) {
      // Stay open so the caller can retry close(); the retry timer keeps trying too.
      this.closeRequested = false;
      this.closing = null;
      this.updateRef();
      throw new Error(`event store could not write ${this.accepted - this.settled} queued events on close: ${describeError(err).message}`);
    }
    // Same synchronous step as the check above, so no append can slip in between.
    this.closed = true;
    this.timer.clear();
    if (this.dropped > 0) this.log.error({ dropped: this.dropped }, 'event store dropped events while writes were failing');
    // The reader goes first so the writer's connection is the last one and its close checkpoints the WAL away.
    this.reader.close();
    const writer = this.writer;
    this.writer = null;
    await writer?.close(WRITER_CLOSE_TIMEOUT_MS);
    this.removeTempDir();
  }

  /** Sends the next batch (building it from the queue when none is pending) unless one is at the writer already. */
  private pump(): void {
    if (this.awaitingReply) return;
    while (this.inFlight === null && this.queue.length > 0) this.inFlight = this.nextBatch();
    const batch = this.inFlight;
    if (batch === null) return;
    try {
      const writer = this.writer ?? this.startWriter();
      const fault = this.faults.shift();
      if (fault !== undefined) writer.fault(fault);
      batch.sends++;
      this.awaitingReply = true;
      writer.write(batch.seq, batch.rows);
    } catch (err) {
      // Starting a thread can fail (resource limits); treat it like a failed write.
      this.awaitingReply = false;
      this.onAttemptFailed(describeError(err));
    }
  }

  /** Takes up to maxBatch rows off the queue (never empty when called). */
  private nextBatch(): Batch {
    const rows = this.queue.splice(0, this.maxBatch);
    // Nothing is in flight here, so everything before the queue is settled.
    return { seq: this.nextSeq++, end: this.settled + rows.length, rows, sends: 0 };
  }

  private startWriter(): WriterThread {
    const writer: WriterThread = new WriterThread(this.writerConfig, {
      // Replies from a thread that has since been replaced are stale and ignored.
      ack: (seq, duplicates) => {
        if (this.writer === writer) this.onAck(seq, duplicates);
      },
      failed: (seq, error) => {
        if (this.writer === writer && this.awaitingReply && this.inFlight?.seq === seq) {
          this.awaitingReply = false;
          this.onAttemptFailed(error);
        }
      },
      log: (level, msg, fields) => this.log[level](fields, msg),
      died: (exitCode, error) => {
        if (this.writer === writer) this.onWriterDied(exitCode, error);
      },
    });
    this.writer = writer;
    this.updateRef();
    return writer;
  }

  private onAck(seq: number, duplicates: number): void {
    const batch = this.inFlight;
    if (!this.awaitingReply || batch === null || batch.seq !== seq) return;
    this.awaitingReply = false;
    this.inFlight = null;
    this.deaths = 0;
    if (duplicates > 0) {
      // A re-sent batch may find its own rows, committed just before the old thread died.
      if (batch.sends > 1) this.log.info({ duplicates }, 'event store re-sent batch was partly or wholly written already');
      else this.log.warn({ duplicates }, 'event store ignored events whose id already exists');
    }
    if (this.failures > 0) {
      this.log.info({ failures: this.failures, dropped: this.dropped }, 'event store writes recovered');
      this.failures = 0;
      this.dropped = 0;
    }
    this.settle(batch.end);
    if (this.queue.length === 0) return;
    // Someone waits, or a full batch is ready: keep draining. Otherwise wait for the interval.
    if (this.waiters.size > 0 || this.queue.length >= this.maxBatch) {
      this.timer.clear();
      this.pump();
    } else if (!this.timer.isPending()) {
      this.timer.schedule(this.intervalMs);
    }
  }

  /** A write (or a thread start) failed: keep the batch, reject current flushes, retry with back-off. */
  private onAttemptFailed(error: WriterError): void {
    this.failures++;
    const now = Date.now();
    if (this.failures === 1 || now - this.lastErrorLogAt >= ERROR_LOG_EVERY_MS) {
      this.lastErrorLogAt = now;
      const queued = this.queue.length + (this.inFlight?.rows.length ?? 0);
      this.log.error({ err: error, queued, failures: this.failures, dropped: this.dropped }, 'event store write failed; events kept for retry');
    }
    this.waiters.rejectAll(() => errorFrom(error));
    this.updateRef();
    this.timer.clear();
    this.timer.schedule(retryDelayMs(this.intervalMs, this.failures));
  }

  private onWriterDied(exitCode: number, error: WriterError | null): void {
    this.writer = null;
    const wasWriting = this.awaitingReply;
    this.awaitingReply = false;
    this.deaths++;
    this.log.error(
      { exitCode, err: error, unacknowledged: this.inFlight?.rows.length ?? 0, deaths: this.deaths },
      'event store writer thread died; restarting it and re-sending unacknowledged events',
    );
    if (this.closed) return;
    // One death is retried at once (flushes keep waiting); a thread that keeps dying
    // without progress is handled like a failing disk, with back-off and rejected flushes.
    if (this.deaths === 1) this.pump();
    else if (wasWriting) this.onAttemptFailed({ message: `event store writer thread exited with code ${exitCode}` });
    else if (!this.timer.isPending() && this.inFlight !== null) this.timer.schedule(retryDelayMs(this.intervalMs, this.failures));
  }

  /** Marks every event up to `end` as done and resolves the flushes that were waiting for them. */
  private settle(end: number): void {
    this.settled = end;
    if (this.waiters.settle(end)) this.updateRef();
  }

  /** The writer thread keeps the process alive only while a flush or close awaits it; otherwise, like the timer, it must not. */
  private updateRef(): void {
    if (this.writer === null) return;
    if (this.waiters.size > 0 || this.closeRequested) this.writer.ref();
    else this.writer.unref();
  }

  private removeTempDir(): void {
    if (this.tempDir !== null) rmSync(this.tempDir, { recursive: true, force: true });
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
