/**
 * The pacing parts both batching event stores (SQLite, PostgreSQL) share: the one timer that sends
 * the next batch, the retry back-off, and the flushes waiting for a prefix of the appended events.
 * The stores keep what differs (how a batch is written and acknowledged).
 */

// Retries after a failed write back off up to this, so a broken disk or database is not hammered.
const MAX_RETRY_DELAY_MS = 5_000;

/** Delay before the next attempt: the flush interval while writes succeed, then doubling per failure up to 5 s. */
export function retryDelayMs(intervalMs: number, failures: number): number {
  if (failures === 0) return intervalMs;
  return Math.min(MAX_RETRY_DELAY_MS, intervalMs * 2 ** Math.min(failures, 16));
}

/** One unref'd timer; asking for a later time than the pending one keeps the earlier. */
export class BatchTimer {
  private timer: NodeJS.Timeout | null = null;
  private immediate = false;
  private readonly fire: () => void;

  constructor(fire: () => void) {
    this.fire = fire;
  }

  isPending(): boolean {
    return this.timer !== null;
  }

  /** Fires after `delayMs` unless a timer is pending already (a pending one is replaced only by a 0 ms request). */
  schedule(delayMs: number): void {
    if (this.timer !== null) {
      // An earlier or equally early timer already covers this request.
      if (delayMs > 0 || this.immediate) return;
      clearTimeout(this.timer);
    }
    this.immediate = delayMs === 0;
    // unref: a pending batch must not keep the process alive; close() flushes on shutdown.
    this.timer = setTimeout(this.onTimer, delayMs);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.immediate = false;
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.immediate = false;
    this.fire();
  };
}

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Flush calls waiting until the first `target` appended events are settled (committed or dropped). */
export class FlushWaiters {
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** A promise settled by {@link settle} once `target` is reached, or by {@link rejectAll}. */
  wait(target: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  /** Resolves the waiters whose target is at most `end`; true when any was resolved. */
  settle(end: number): boolean {
    if (this.waiters.length === 0) return false;
    const done = this.waiters.filter((w) => w.target <= end);
    if (done.length === 0) return false;
    this.waiters = this.waiters.filter((w) => w.target > end);
    for (const waiter of done) waiter.resolve();
    return true;
  }

  /** Rejects every current waiter (a write failed); later flushes wait afresh. */
  rejectAll(err: () => Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(err());
  }
}
