import type { Logger } from 'pino';
import { createMemoryLimitStore } from './memory-limit-store.ts';
import { LimitStoreError, type LimitStore, type WindowAlgorithm } from './types.ts';

export type OnStoreError = 'fail-closed' | 'local-fallback';

/**
 * Wraps a shared store (Redis) with the configured outage behaviour: `fail-closed` lets the
 * LimitStoreError through (the request is refused with 503); `local-fallback` counts in this
 * process's memory until the shared store answers again, warning once per outage.
 */
export function withStoreErrorPolicy(primary: LimitStore, options: { onStoreError: OnStoreError; logger: Logger; algorithm: WindowAlgorithm; slidingBuckets?: number }): LimitStore {
  if (options.onStoreError === 'fail-closed') return primary;
  const local = createMemoryLimitStore({ algorithm: options.algorithm, ...(options.slidingBuckets !== undefined ? { slidingBuckets: options.slidingBuckets } : {}) });
  let outage = false;
  const attempt = async <T>(operation: (store: LimitStore) => Promise<T>): Promise<T> => {
    try {
      const result = await operation(primary);
      if (outage) {
        outage = false;
        options.logger.info('limit store reachable again; shared limits apply');
      }
      return result;
    } catch (error) {
      if (!(error instanceof LimitStoreError)) throw error;
      if (!outage) {
        outage = true;
        options.logger.warn({ err: { message: error.message } }, 'limit store unreachable; counting in this process only (onStoreError: local-fallback)');
      }
      return operation(local);
    }
  };
  return {
    consume: (checks, call) => attempt((store) => store.consume(checks, call)),
    add: (entries, call) => attempt((store) => store.add(entries, call)),
    acquire: (leases, call) => attempt((store) => store.acquire(leases, call)),
    addSpend: (entries, call) => attempt((store) => store.addSpend(entries, call)),
    getSpend: (counters, call) => attempt((store) => store.getSpend(counters, call)),
    async release(keys, call) {
      // The lease may live in either store (taken before or during an outage); releasing an absent lease is a no-op.
      await local.release(keys, call);
      await primary.release(keys, call).catch(() => {});
    },
    async close() {
      await local.close();
      await primary.close();
    },
  };
}
