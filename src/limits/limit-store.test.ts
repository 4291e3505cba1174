import { randomUUID } from 'node:crypto';
import { after, describe } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_TEST_URL, servicesAvailable, skipOrFail } from '../../test/support/services.ts';
import { limitStoreContract } from './limit-store.contract.ts';
import { createMemoryLimitStore } from './memory-limit-store.ts';
import { createRedisLimitStore } from './redis-limit-store.ts';

describe('LimitStore contract: memory', () => {
  limitStoreContract(async (algorithm) => createMemoryLimitStore({ algorithm }));
});

describe('LimitStore contract: redis', () => {
  // A random prefix per run keeps parallel runs and leftovers apart; every key also carries a TTL.
  const keyPrefix = `bulwark:limits:test-${randomUUID().slice(0, 8)}:`;
  // Spend counters of the `total` period never expire: remove this run's keys.
  after(async () => {
    if (!(await servicesAvailable('redis')).ok) return;
    const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => {});
    try {
      await redis.connect();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });
  limitStoreContract(async (algorithm, t) => {
    const probe = await servicesAvailable('redis');
    if (!probe.ok) {
      skipOrFail(t, probe.reason);
      return null;
    }
    return createRedisLimitStore({ url: REDIS_TEST_URL, keyPrefix, algorithm });
  });
});
