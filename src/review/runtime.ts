import type { Logger } from 'pino';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import type { FindingHooks } from '../policy/decide.ts';
import type { GatewayEvent } from '../store/types.ts';
import { AllowList } from './allow-list.ts';
import type { Review } from './config.ts';
import { fingerprintKey, matchFingerprint } from './fingerprint.ts';
import { queueReason } from './queue-rule.ts';
import { ReviewStore } from './review-store.ts';

/** The gateway's side of the review loop: queue events, and honour allow-list entries when deciding. */
export interface ReviewRuntime {
  /** Queues the event when the review config says so (written within `flushIntervalMs`); never throws (a failure is logged). */
  consider(event: GatewayEvent): void;
  /** Writes queued events now. */
  flush(): void;
  /** Hooks for `decide` for one request's tenant and policy. */
  hooks(tenant: string, policy: string): FindingHooks;
  close(): void;
}

export interface ReviewRuntimeOptions {
  config: Review;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** For tests: the sampling draw. */
  random?: () => number;
  /** For tests: the clock used for allow-list refreshes. */
  now?: () => number;
  /** Most time a queued event waits before its batch is written (default 50 ms). */
  flushIntervalMs?: number;
}

/** Opens review.db in the data directory and derives the fingerprint key from the master key. */
export function openReviewRuntime(options: ReviewRuntimeOptions): ReviewRuntime {
  const { config, logger } = options;
  const key = fingerprintKey(loadMasterKeyring(options.dataDir, options.env).current.key);
  const store = ReviewStore.open(options.dataDir);
  const now = options.now ?? Date.now;
  let allowList = new AllowList(store.listAllow());
  let version = store.dataVersion();
  let checkedAt = now();
  let failing = false;
  let pending: { event: GatewayEvent; reason: 'decision' | 'sample' }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  // One transaction per batch: a commit per event cost ~140 us of the event loop, a batched insert a fraction of that.
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      store.enqueueMany(batch);
      if (failing) logger.info('review queue writes recovered');
      failing = false;
    } catch (error) {
      if (!failing) logger.error({ err: (error as Error).message, events: batch.length }, 'review queue write failed; events are not queued until it recovers');
      failing = true;
    }
  };

  // Another process (the CLI, an admin API) adds entries: reload when review.db changed, at most every allowListRefreshMs.
  const current = (): AllowList => {
    const t = now();
    if (t - checkedAt < config.allowListRefreshMs) return allowList;
    checkedAt = t;
    try {
      const next = store.dataVersion();
      if (next !== version) {
        version = next;
        allowList = new AllowList(store.listAllow());
      }
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'review allow-list reload failed; keeping the previous list');
    }
    return allowList;
  };

  return {
    consider(event) {
      const reason = queueReason(event, config, options.random);
      if (reason === null || closed) return;
      pending.push({ event, reason });
      if (pending.length >= 500) flush();
      else timer ??= setTimeout(flush, options.flushIntervalMs ?? 50).unref();
    },
    flush,
    hooks(tenant, policy) {
      const list = current();
      return {
        fingerprint: (text) => matchFingerprint(key, text),
        allowed: (instance, ruleId, fingerprint) => list.allows(tenant, policy, instance, ruleId, fingerprint),
      };
    },
    close() {
      flush();
      closed = true;
      store.close();
    },
  };
}
