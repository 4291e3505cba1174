import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Limiter, type ScopeLimits } from './limiter.ts';
import { createMemoryLimitStore } from './memory-limit-store.ts';
import { createRedisLimitStore } from './redis-limit-store.ts';
import { withStoreErrorPolicy } from './resilient-limit-store.ts';
import { LimitStoreError } from './types.ts';

const none: ScopeLimits = { requestsPerMinute: null, tokensPerMinute: null, concurrent: null };
const subject = { tenant: 't1', project: 'p1', key: 'k1' };

describe('Limiter', () => {
  it('applies stored overrides over the defaults and names the refusing scope', async () => {
    const limiter = new Limiter({
      store: createMemoryLimitStore(),
      defaults: { key: { ...none, requestsPerMinute: 100 }, project: none, tenant: { ...none, requestsPerMinute: 100 } },
      overrides: (scope, id) => (scope === 'tenant' && id === 't1' ? { requestsPerMinute: 1 } : null),
      leaseTtlMs: 1000,
    });
    assert.deepEqual(limiter.limitsFor('tenant', 't1'), { requestsPerMinute: 1, tokensPerMinute: null, concurrent: null });
    assert.equal((await limiter.admit(subject, 10)).ok, true);
    const refused = await limiter.admit(subject, 10);
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.deepEqual([refused.scope, refused.metric, refused.limit], ['tenant', 'requests', 1]);
  });

  it('a temporary key cap (abuse throttle) lowers the key limit without touching the defaults, and says so', async () => {
    const defaults = { key: { ...none, requestsPerMinute: 100 }, project: none, tenant: none };
    const limiter = new Limiter({ store: createMemoryLimitStore(), defaults, leaseTtlMs: 1000 });
    for (let call = 0; call < 2; call += 1) assert.equal((await limiter.admit(subject, 1, { keyRequestsCap: 2 })).ok, true);
    const refused = await limiter.admit(subject, 1, { keyRequestsCap: 2 });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.deepEqual([refused.scope, refused.metric, refused.limit, refused.throttled], ['key', 'requests', 2, true]);
    // Without the cap the configured 100 applies again, and the shared defaults were not modified.
    assert.equal((await limiter.admit(subject, 1)).ok, true);
    assert.equal(defaults.key.requestsPerMinute, 100);
    // A cap above the configured limit changes nothing.
    const unlimited = new Limiter({ store: createMemoryLimitStore(), defaults: { key: { ...none, requestsPerMinute: 1 }, project: none, tenant: none }, leaseTtlMs: 1000 });
    await unlimited.admit(subject, 1, { keyRequestsCap: 50 });
    const plain = await unlimited.admit(subject, 1, { keyRequestsCap: 50 });
    assert.ok(!plain.ok && plain.limit === 1 && plain.throttled === false);
  });

  it('holds a concurrency slot until settled, and corrects the token estimate with real usage', async () => {
    const limiter = new Limiter({ store: createMemoryLimitStore(), defaults: { key: { ...none, concurrent: 1, tokensPerMinute: 1000 }, project: none, tenant: none }, leaseTtlMs: 60_000 });
    const first = await limiter.admit(subject, 100);
    assert.equal(first.ok, true);
    const second = await limiter.admit(subject, 100);
    assert.equal(second.ok, false);
    if (!second.ok) assert.equal(second.metric, 'concurrent');
    if (first.ok) await limiter.settle(first.ticket, 900);
    // 900 real tokens used: an estimate of 101 no longer fits, 100 does.
    const tooMuch = await limiter.admit(subject, 101);
    assert.equal(tooMuch.ok, false);
    if (!tooMuch.ok) assert.equal(tooMuch.metric, 'tokens');
    assert.equal((await limiter.admit(subject, 100)).ok, true);
  });
});

describe('onStoreError with Redis unreachable', () => {
  // Port 1 on loopback refuses connections: an outage without waiting for timeouts.
  const unreachable = () => createRedisLimitStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'bulwark:limits:test-down:', commandTimeoutMs: 200 });
  const limits = { key: { ...none, requestsPerMinute: 1 }, project: none, tenant: none };

  it('fail-closed: admission throws LimitStoreError (the gateway answers 503)', async () => {
    const store = await unreachable();
    const limiter = new Limiter({ store: withStoreErrorPolicy(store, { onStoreError: 'fail-closed', logger: pino({ level: 'silent' }), algorithm: 'sliding' }), defaults: limits, leaseTtlMs: 1000 });
    await assert.rejects(limiter.admit(subject, 1), LimitStoreError);
    await store.close();
  });

  it('local-fallback: counts in memory and warns once per outage', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const store = await unreachable();
    const limiter = new Limiter({ store: withStoreErrorPolicy(store, { onStoreError: 'local-fallback', logger, algorithm: 'sliding' }), defaults: limits, leaseTtlMs: 1000 });
    assert.equal((await limiter.admit(subject, 1)).ok, true);
    assert.equal((await limiter.admit(subject, 1)).ok, false, 'the local store still enforces the limit');
    assert.equal(lines.filter((line) => line.includes('limit store unreachable')).length, 1);
    assert.ok(lines.every((line) => !line.includes('redis://')), 'the Redis URL is not logged');
    await store.close();
  });
});
