import { periodWindow } from './periods.ts';
import { bucketLayout, type AcquireResult, type CallOptions, type ConsumeResult, type LeaseCheck, type LimitStore, type WindowAlgorithm, type WindowCheck } from './types.ts';

export interface MemoryLimitStoreOptions {
  algorithm?: WindowAlgorithm;
  /** Sub-buckets per sliding window (default 60: one per second for a minute). */
  slidingBuckets?: number;
  now?: () => number;
}

/** One process's counters; atomic because every operation is synchronous on the event loop. */
export function createMemoryLimitStore(options: MemoryLimitStoreOptions = {}): LimitStore {
  const algorithm = options.algorithm ?? 'sliding';
  const slidingBuckets = options.slidingBuckets ?? 60;
  const clock = options.now ?? Date.now;
  const windows = new Map<string, Map<number, number>>();
  const leases = new Map<string, Map<string, number>>();
  // Window length per counter, so a periodic sweep can drop counters nobody touches any more.
  const spans = new Map<string, number>();
  // Spend per `<group>\0<key>\0<period id>`, with the period's end (null: total) so old periods can be dropped.
  const spend = new Map<string, { total: number; end: number | null }>();
  let calls = 0;
  const sweep = (now: number): void => {
    calls += 1;
    if (calls % 1000 !== 0) return;
    for (const [key, windowMs] of spans) {
      read(key, windowMs, now);
      if (!windows.has(key)) spans.delete(key);
    }
    for (const [key, held] of leases) {
      for (const [id, expires] of held) if (expires <= now) held.delete(id);
      if (held.size === 0) leases.delete(key);
    }
    for (const [key, counter] of spend) if (counter.end !== null && counter.end <= now) spend.delete(key);
  };
  const name = (group: string, key: string): string => `${group}\u0000${key}`;

  /** Current total of a window, dropping buckets that slid out; returns them oldest first for retry-after. */
  const read = (key: string, windowMs: number, now: number): { total: number; buckets: [number, number][]; current: number; width: number; count: number } => {
    const { width, count } = bucketLayout(algorithm, windowMs, slidingBuckets);
    const current = Math.floor(now / width);
    const oldest = current - count + 1;
    const map = windows.get(key);
    const buckets: [number, number][] = [];
    let total = 0;
    if (map) {
      for (const [index, value] of map) {
        if (index < oldest) map.delete(index);
        else {
          total += value;
          buckets.push([index, value]);
        }
      }
      if (map.size === 0) windows.delete(key);
    }
    buckets.sort((a, b) => a[0] - b[0]);
    return { total, buckets, current, width, count };
  };

  return {
    async consume(checks: readonly WindowCheck[], call: CallOptions): Promise<ConsumeResult> {
      const now = call.now ?? clock();
      sweep(now);
      const counts: number[] = [];
      for (const [index, check] of checks.entries()) {
        const state = read(name(call.group, check.key), check.windowMs, now);
        if (state.total + check.cost > check.limit) return { allowed: false, refused: index, count: state.total, retryAfterMs: retryAfter(state, check, now) };
        counts.push(state.total + check.cost);
      }
      for (const check of checks) {
        const key = name(call.group, check.key);
        const { width } = bucketLayout(algorithm, check.windowMs, slidingBuckets);
        const current = Math.floor(now / width);
        const map = windows.get(key) ?? new Map<number, number>();
        map.set(current, (map.get(current) ?? 0) + check.cost);
        windows.set(key, map);
        spans.set(key, check.windowMs);
      }
      return { allowed: true, counts };
    },
    async add(entries, call) {
      const now = call.now ?? clock();
      for (const entry of entries) {
        const key = name(call.group, entry.key);
        read(key, entry.windowMs, now);
        const { width } = bucketLayout(algorithm, entry.windowMs, slidingBuckets);
        const current = Math.floor(now / width);
        const map = windows.get(key) ?? new Map<number, number>();
        map.set(current, (map.get(current) ?? 0) + entry.amount);
        windows.set(key, map);
      }
    },
    async acquire(checks: readonly LeaseCheck[], call): Promise<AcquireResult> {
      const now = call.now ?? clock();
      for (const [index, check] of checks.entries()) {
        const held = leases.get(name(call.group, check.key));
        if (held) for (const [id, expires] of held) if (expires <= now) held.delete(id);
        const size = held?.size ?? 0;
        if (size >= check.limit) return { acquired: false, refused: index, held: size };
      }
      for (const check of checks) {
        const key = name(call.group, check.key);
        const held = leases.get(key) ?? new Map<string, number>();
        held.set(call.id, now + call.ttlMs);
        leases.set(key, held);
      }
      return { acquired: true };
    },
    async release(keys, call) {
      for (const key of keys) {
        const held = leases.get(name(call.group, key));
        held?.delete(call.id);
        if (held && held.size === 0) leases.delete(name(call.group, key));
      }
    },
    async addSpend(entries, call) {
      const now = call.now ?? clock();
      sweep(now);
      const bad = entries.find((entry) => !Number.isSafeInteger(entry.amount));
      if (bad) throw new RangeError(`addSpend: expected an integer amount (micro-units), got ${bad.amount}`);
      return entries.map((entry) => {
        const window = periodWindow(entry.period, now);
        const key = `${name(call.group, entry.key)}\u0000${window.id}`;
        const counter = spend.get(key) ?? { total: 0, end: window.end };
        counter.total += entry.amount;
        spend.set(key, counter);
        return counter.total;
      });
    },
    async getSpend(counters, call) {
      const now = call.now ?? clock();
      return counters.map((counter) => spend.get(`${name(call.group, counter.key)}\u0000${periodWindow(counter.period, now).id}`)?.total ?? 0);
    },
    async close() {
      windows.clear();
      leases.clear();
      spend.clear();
    },
  };
}

/** Milliseconds until enough of the oldest buckets age out for `cost` to fit (the whole window when it never fits). */
export function retryAfter(state: { total: number; buckets: [number, number][]; width: number; count: number }, check: WindowCheck, now: number): number {
  if (check.cost > check.limit) return check.windowMs;
  let remaining = state.total;
  for (const [index, value] of state.buckets) {
    remaining -= value;
    if (remaining + check.cost <= check.limit) return Math.max(1, (index + state.count) * state.width - now);
  }
  return check.windowMs;
}
