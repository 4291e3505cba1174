/** Counters and leases behind one interface; in-memory and Redis implementations pass one contract suite. */
import type { BudgetPeriod } from './periods.ts';

/** Which window algorithm counts: fixed windows aligned to the epoch, or a sliding window of sub-buckets. */
export type WindowAlgorithm = 'fixed' | 'sliding';

/** One counter to check and, when every check in the call passes, increase. */
export interface WindowCheck {
  /** Logical name, e.g. `tenant:ten_1:requests`; the store adds its namespace. */
  key: string;
  limit: number;
  /** Amount this call adds (1 for a request, the estimate for tokens). */
  cost: number;
  windowMs: number;
}

export type ConsumeResult =
  | { allowed: true; counts: number[] }
  /** `refused` is the index of the first check over its limit; `count` its value before this call. */
  | { allowed: false; refused: number; count: number; retryAfterMs: number };

export interface LeaseCheck {
  key: string;
  /** Most leases held at once under this key. */
  limit: number;
}

export type AcquireResult = { acquired: true } | { acquired: false; refused: number; held: number };

export interface CallOptions {
  /** Keys in one call that share a group are stored together (a Redis hash tag), so one script can touch them all. */
  group: string;
  /** Epoch ms; the store's own clock (Redis: the server's TIME) when absent. */
  now?: number;
}

/** One spend counter of a budget: a scope's spend in the UTC calendar period containing the call's `now`. */
export interface SpendCounter {
  /** Logical name, e.g. `key:key_1:spend`; the store adds its namespace and the period id. */
  key: string;
  period: BudgetPeriod;
}

/** Atomic operations: every check in one call passes and counts, or none counts. */
export interface LimitStore {
  /** Checks every counter and, when all are within limit after adding its cost, adds the costs. */
  consume(checks: readonly WindowCheck[], options: CallOptions): Promise<ConsumeResult>;
  /** Adds unconditionally (may be negative: corrects an estimate once the real usage is known). */
  add(entries: readonly { key: string; amount: number; windowMs: number }[], options: CallOptions): Promise<void>;
  /** Takes one lease under every key, or none; a lease not released within `ttlMs` expires (a crashed process's leases free themselves). */
  acquire(leases: readonly LeaseCheck[], options: CallOptions & { id: string; ttlMs: number }): Promise<AcquireResult>;
  release(keys: readonly string[], options: CallOptions & { id: string }): Promise<void>;
  /**
   * Adds integer amounts (micro-units of a currency) to spend counters of the period containing
   * `now`, atomically per call; returns each counter's total after the addition. A counter
   * starts at 0 in each new period (day, ISO week, month: UTC boundaries; `total` never resets).
   */
  addSpend(entries: readonly (SpendCounter & { amount: number })[], options: CallOptions): Promise<number[]>;
  /** Current totals of spend counters for the period containing `now` (0 when never charged). */
  getSpend(counters: readonly SpendCounter[], options: CallOptions): Promise<number[]>;
  close(): Promise<void>;
}

/** Thrown when the backing service cannot answer; callers apply `onStoreError`. */
export class LimitStoreError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LimitStoreError';
  }
}

/** Bucket layout shared by both stores so they count identically. */
export function bucketLayout(algorithm: WindowAlgorithm, windowMs: number, slidingBuckets: number): { width: number; count: number } {
  if (algorithm === 'fixed') return { width: windowMs, count: 1 };
  const count = Math.max(1, Math.min(slidingBuckets, windowMs));
  return { width: Math.ceil(windowMs / count), count };
}
