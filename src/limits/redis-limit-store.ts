import { Redis } from 'ioredis';
import { periodWindow } from './periods.ts';
import { acquireScript, addScript, addSpendScript, consumeScript } from './redis-scripts.ts';
import { bucketLayout, LimitStoreError, type AcquireResult, type CallOptions, type ConsumeResult, type LimitStore, type WindowAlgorithm } from './types.ts';

export interface RedisLimitStoreOptions {
  url: string;
  /** Namespace of every key, e.g. `bulwark:limits:`. */
  keyPrefix: string;
  algorithm?: WindowAlgorithm;
  slidingBuckets?: number;
  /** A command slower than this fails (and `onStoreError` applies) instead of stalling requests. */
  commandTimeoutMs?: number;
}

type Reply = (number | string)[];

/** Counters and leases in Redis: each operation is one Lua script, so processes sharing Redis share limits exactly. */
export async function createRedisLimitStore(options: RedisLimitStoreOptions): Promise<LimitStore & { redis: Redis }> {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    // Fail fast while disconnected rather than queueing requests behind an outage.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors surface on commands; without a listener ioredis would print each retry.
  redis.on('error', () => {});
  const algorithm = options.algorithm ?? 'sliding';
  const slidingBuckets = options.slidingBuckets ?? 60;
  const sha = new Map<string, string>();
  const name = (group: string, key: string): string => `${options.keyPrefix}{${group}}:${key}`;

  const run = async (script: string, keys: string[], args: (number | string)[]): Promise<Reply> => {
    try {
      let digest = sha.get(script);
      if (digest) {
        try {
          return (await redis.evalsha(digest, keys.length, ...keys, ...args)) as Reply;
        } catch (error) {
          if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
        }
      }
      digest = (await redis.script('LOAD', script)) as string;
      sha.set(script, digest);
      return (await redis.evalsha(digest, keys.length, ...keys, ...args)) as Reply;
    } catch (error) {
      throw new LimitStoreError(`redis limit store unavailable: ${(error as Error).message}`, { cause: error });
    }
  };

  try {
    await redis.connect();
  } catch {
    // Not fatal here: every call reports LimitStoreError until the reconnect succeeds, and onStoreError decides.
  }

  return {
    redis,
    async consume(checks, call: CallOptions): Promise<ConsumeResult> {
      if (checks.length === 0) return { allowed: true, counts: [] };
      const args: number[] = [call.now ?? -1];
      for (const check of checks) {
        const { width, count } = bucketLayout(algorithm, check.windowMs, slidingBuckets);
        args.push(check.limit, check.cost, width, count);
      }
      const reply = await run(consumeScript, checks.map((check) => name(call.group, check.key)), args);
      if (Number(reply[0]) === 1) return { allowed: true, counts: reply.slice(1).map(Number) };
      return { allowed: false, refused: Number(reply[1]) - 1, count: Number(reply[2]), retryAfterMs: Number(reply[3]) };
    },
    async add(entries, call) {
      if (entries.length === 0) return;
      const args: number[] = [call.now ?? -1];
      for (const entry of entries) {
        const { width, count } = bucketLayout(algorithm, entry.windowMs, slidingBuckets);
        args.push(Math.round(entry.amount), width, count);
      }
      await run(addScript, entries.map((entry) => name(call.group, entry.key)), args);
    },
    async acquire(leases, call): Promise<AcquireResult> {
      if (leases.length === 0) return { acquired: true };
      const reply = await run(acquireScript, leases.map((lease) => name(call.group, lease.key)), [call.now ?? -1, call.ttlMs, call.id, ...leases.map((lease) => lease.limit)]);
      if (Number(reply[0]) === 1) return { acquired: true };
      return { acquired: false, refused: Number(reply[1]) - 1, held: Number(reply[2]) };
    },
    async release(keys, call) {
      if (keys.length === 0) return;
      try {
        const pipeline = redis.pipeline();
        for (const key of keys) pipeline.zrem(name(call.group, key), call.id);
        const results = await pipeline.exec();
        const failed = results?.find(([error]) => error);
        if (failed) throw failed[0];
      } catch (error) {
        throw new LimitStoreError(`redis limit store unavailable: ${(error as Error).message}`, { cause: error });
      }
    },
    async addSpend(entries, call) {
      if (entries.length === 0) return [];
      const bad = entries.find((entry) => !Number.isSafeInteger(entry.amount));
      if (bad) throw new RangeError(`addSpend: expected an integer amount (micro-units), got ${bad.amount}`);
      // Periods follow this process's clock (calendar arithmetic in Lua is not worth it); a skewed
      // clock can only attribute a charge made within the skew of a boundary to the neighbouring period.
      const now = call.now ?? Date.now();
      const keys: string[] = [];
      const args: number[] = [];
      for (const entry of entries) {
        const window = periodWindow(entry.period, now);
        keys.push(name(call.group, `${entry.key}:${window.id}`));
        // Kept one day past the period's end so `budgets show` near a boundary still reads it.
        args.push(entry.amount, window.end === null ? 0 : window.end + 86_400_000);
      }
      const reply = await run(addSpendScript, keys, args);
      return reply.map(Number);
    },
    async getSpend(counters, call) {
      if (counters.length === 0) return [];
      const now = call.now ?? Date.now();
      try {
        const values = await redis.mget(...counters.map((counter) => name(call.group, `${counter.key}:${periodWindow(counter.period, now).id}`)));
        return values.map((value) => (value === null ? 0 : Number(value)));
      } catch (error) {
        throw new LimitStoreError(`redis limit store unavailable: ${(error as Error).message}`, { cause: error });
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
