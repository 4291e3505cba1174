import { Worker } from 'node:worker_threads';
import { EVENT_COLUMNS } from './event-row.ts';
import type { EventRow } from './event-row.ts';

/**
 * Main-thread handle on the writer thread (sqlite-writer.worker.mjs). It only moves
 * messages and reports the thread's death; batching, retries and restarts are the
 * store's policy (sqlite-event-store.ts). The message shapes below are the protocol
 * the .mjs worker implements; keep the two in step.
 */

/** Test-only faults the writer thread simulates on its next write: a failed write (SQLITE_IOERR) or the thread dying. */
export type WriterFault = 'fail-write' | 'crash-before-commit' | 'crash-after-commit';

/** Passed to the worker as workerData; everything it needs, since it cannot import our TypeScript. */
export interface WriterConfig {
  path: string;
  /** INSERT with one named parameter per EventRow column. */
  insertSql: string;
  busyTimeoutMs: number;
  autocheckpointPages: number;
  journalSizeLimit: number;
  /** Delay after a commit before a PASSIVE WAL checkpoint; 0 leaves it to wal_autocheckpoint. */
  checkpointIntervalMs: number;
  /** Audit checkpoint signing; null writes the chain without signed checkpoints. */
  audit: WriterAuditConfig | null;
}

/** What the writer thread needs to sign audit checkpoints (src/audit/README.md). The key never leaves the process. */
export interface WriterAuditConfig {
  privateKeyPem: string;
  keyId: string;
  /** A checkpoint after this many records in a partition... */
  checkpointEveryRecords: number;
  /** ...or this long after the first record not yet covered by one. */
  checkpointIntervalMs: number;
}

/** What the worker reports of an error: message and SQLite code, never bound values. */
export interface WriterError {
  message: string;
  code?: string;
}

export type WriterLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Callbacks from one writer thread, all on the main thread. */
export interface WriterListener {
  ack(seq: number, duplicates: number, dropped: number): void;
  failed(seq: number, error: WriterError): void;
  log(level: WriterLogLevel, msg: string, fields: Record<string, unknown>): void;
  /** The thread ended without being asked to (uncaught error, OOM, terminate). */
  died(exitCode: number, error: WriterError | null): void;
}

// chain_format, content_digest, seq, prev_hash and hash are filled in by the writer thread, inside the transaction (the chain's single writer).
const INSERT_COLUMNS = [...EVENT_COLUMNS, 'chain_format', 'content_digest', 'seq', 'prev_hash', 'hash'];
const INSERT_SQL = `INSERT INTO events (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT(id) DO NOTHING`;
// The busy timeout blocks only the writer thread, never the event loop.
const BUSY_TIMEOUT_MS = 5_000;
// Checkpoint between batches, about once a second while writing, instead of inside a commit.
const CHECKPOINT_INTERVAL_MS = 1_000;
// SQLite's default; only reached when a burst outpaces the periodic checkpoint.
const AUTOCHECKPOINT_PAGES = 1_000;
// After a checkpoint, shrink a WAL that a burst grew beyond this back down.
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** The writer thread's settings for the database at `path`. */
export function writerConfigFor(path: string, audit: WriterAuditConfig | null = null): WriterConfig {
  return {
    audit,
    path,
    insertSql: INSERT_SQL,
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    autocheckpointPages: AUTOCHECKPOINT_PAGES,
    journalSizeLimit: JOURNAL_SIZE_LIMIT,
    checkpointIntervalMs: CHECKPOINT_INTERVAL_MS,
  };
}

type ToWriter = { type: 'write'; seq: number; rows: EventRow[] } | { type: 'fault'; fault: WriterFault } | { type: 'close' };

const WORKER_URL = new URL('./sqlite-writer.worker.mjs', import.meta.url);
const LOG_LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only the message and SQLite code: error objects may carry bound parameters. */
export function describeError(value: unknown): WriterError {
  if (value instanceof Error || isRecord(value)) {
    const message = typeof value.message === 'string' ? value.message : 'unknown error';
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string' ? { message, code } : { message };
  }
  return { message: String(value) };
}

/** An Error carrying the reported message and SQLite code, for rejecting flush() and close(). */
export function errorFrom(error: WriterError): Error {
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

export class WriterThread {
  private readonly worker: Worker;
  private readonly listener: WriterListener;
  private state: 'running' | 'closing' | 'exited' = 'running';
  private lastError: WriterError | null = null;
  private readonly exited: Promise<void>;

  constructor(config: WriterConfig, listener: WriterListener) {
    this.listener = listener;
    // execArgv []: the worker is plain JavaScript, so the parent's `--import tsx` would
    // only slow its start (and register a second loader thread) for nothing.
    this.worker = new Worker(WORKER_URL, { workerData: config, execArgv: [] });
    this.worker.on('message', (message: unknown) => this.onMessage(message));
    // Without an 'error' listener a crash in the worker would be rethrown on the main thread.
    this.worker.on('error', (err: unknown) => {
      this.lastError = describeError(err);
    });
    this.worker.on('messageerror', (err: unknown) => {
      listener.log('error', 'event store writer sent a message that could not be read', { err: describeError(err) });
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code: number) => {
        const unexpected = this.state === 'running';
        this.state = 'exited';
        resolve();
        if (unexpected) listener.died(code, this.lastError);
      });
    });
  }

  /** False once the thread has been asked to close or has ended. */
  get running(): boolean {
    return this.state === 'running';
  }

  write(seq: number, rows: EventRow[]): void {
    this.post({ type: 'write', seq, rows });
  }

  /** Test-only: the next write on this thread simulates `fault`. */
  fault(fault: WriterFault): void {
    this.post({ type: 'fault', fault });
  }

  /** Keeps the process alive while someone awaits this thread (a flush or close). */
  ref(): void {
    if (this.state !== 'exited') this.worker.ref();
  }

  unref(): void {
    if (this.state !== 'exited') this.worker.unref();
  }

  /** Closes the database on the thread (its final checkpoint included) and waits for it to end. */
  async close(timeoutMs: number): Promise<void> {
    if (this.state === 'running') {
      this.state = 'closing';
      this.worker.ref();
      this.post({ type: 'close' });
    }
    // A thread stuck in native code cannot stop us from finishing shutdown.
    const guard = setTimeout(() => void this.worker.terminate(), timeoutMs);
    guard.unref();
    await this.exited;
    clearTimeout(guard);
  }

  private post(message: ToWriter): void {
    if (this.state === 'exited') return;
    this.worker.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isRecord(message)) return;
    const seq = typeof message.seq === 'number' ? message.seq : -1;
    switch (message.type) {
      case 'ack':
        this.listener.ack(seq, Number(message.duplicates) || 0, Number(message.dropped) || 0);
        break;
      case 'failed':
        this.listener.failed(seq, describeError(message.error));
        break;
      case 'log': {
        const level = typeof message.level === 'string' && LOG_LEVELS.has(message.level) ? (message.level as WriterLogLevel) : 'warn';
        this.listener.log(level, String(message.msg), isRecord(message.fields) ? message.fields : {});
        break;
      }
      default:
        // 'closed' needs no handling: the exit that follows settles close().
        break;
    }
  }
}
