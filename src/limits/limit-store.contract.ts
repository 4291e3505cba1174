import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import type { LimitStore, WindowAlgorithm } from './types.ts';

/** Makes a fresh store with the given window algorithm; null when the test was skipped (service missing). */
export type LimitStoreFactory = (algorithm: WindowAlgorithm, t: TestContext) => Promise<LimitStore | null>;

const minute = 60_000;
// A fixed instant on a minute boundary, so fixed and sliding windows line up predictably.
const t0 = Date.parse('2030-01-01T00:00:00Z');

/** The behaviour every LimitStore must have; registers node:test cases in the caller's describe(). */
export function limitStoreContract(make: LimitStoreFactory): void {
  const group = (): string => `g-${randomUUID()}`;

  it('admits up to the limit within a window, then refuses with the count and a retry-after', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    for (let i = 0; i < 3; i += 1) assert.equal((await store.consume([{ key: 'k:requests', limit: 3, cost: 1, windowMs: minute }], { group: g, now: t0 + i * 1000 })).allowed, true);
    const refused = await store.consume([{ key: 'k:requests', limit: 3, cost: 1, windowMs: minute }], { group: g, now: t0 + 5000 });
    assert.equal(refused.allowed, false);
    if (!refused.allowed) {
      assert.equal(refused.count, 3);
      assert.equal(refused.refused, 0);
      // The first hit (bucket at t0) ages out one window after it: 55 s after t0 + 5 s.
      assert.equal(refused.retryAfterMs, 55_000);
    }
    await store.close();
  });

  it('is all-or-nothing across checks: a refusal counts nothing', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const checks = (cost: number) => [
      { key: 'key:a:tokens', limit: 100, cost, windowMs: minute },
      { key: 'tenant:t:tokens', limit: 50, cost, windowMs: minute },
    ];
    assert.deepEqual(await store.consume(checks(40), { group: g, now: t0 }), { allowed: true, counts: [40, 40] });
    const refused = await store.consume(checks(20), { group: g, now: t0 + 1 });
    assert.equal(refused.allowed, false);
    if (!refused.allowed) assert.equal(refused.refused, 1);
    // The key counter was not charged by the refused call: 40 + 10 still fits both.
    assert.deepEqual(await store.consume(checks(10), { group: g, now: t0 + 2 }), { allowed: true, counts: [50, 50] });
    await store.close();
  });

  it('slides: hits older than the window stop counting, newer ones still count', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const check = [{ key: 'p:requests', limit: 2, cost: 1, windowMs: minute }];
    assert.equal((await store.consume(check, { group: g, now: t0 })).allowed, true);
    assert.equal((await store.consume(check, { group: g, now: t0 + 30_000 })).allowed, true);
    // 59 s after the first hit both still count, even across the minute boundary of a fixed window.
    assert.equal((await store.consume(check, { group: g, now: t0 + 59_000 })).allowed, false);
    assert.equal((await store.consume(check, { group: g, now: t0 + 61_000 })).allowed, true);
    assert.equal((await store.consume(check, { group: g, now: t0 + 62_000 })).allowed, false);
    await store.close();
  });

  it('fixed windows reset on the window boundary', async (t) => {
    const store = await make('fixed', t);
    if (!store) return;
    const g = group();
    const check = [{ key: 'p:requests', limit: 1, cost: 1, windowMs: minute }];
    assert.equal((await store.consume(check, { group: g, now: t0 + 59_000 })).allowed, true);
    const refused = await store.consume(check, { group: g, now: t0 + 59_500 });
    assert.equal(refused.allowed, false);
    if (!refused.allowed) assert.equal(refused.retryAfterMs, 500);
    assert.equal((await store.consume(check, { group: g, now: t0 + minute })).allowed, true);
    await store.close();
  });

  it('adds corrections (also negative) to token counters', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const check = (cost: number) => [{ key: 'k:tokens', limit: 1000, cost, windowMs: minute }];
    assert.equal((await store.consume(check(800), { group: g, now: t0 })).allowed, true);
    await store.add([{ key: 'k:tokens', amount: -600, windowMs: minute }], { group: g, now: t0 + 10 });
    assert.deepEqual(await store.consume(check(700), { group: g, now: t0 + 20 }), { allowed: true, counts: [900] });
    await store.add([{ key: 'k:tokens', amount: 200, windowMs: minute }], { group: g, now: t0 + 30 });
    assert.equal((await store.consume(check(1), { group: g, now: t0 + 40 })).allowed, false);
    await store.close();
  });

  it('refuses a cost larger than the whole limit, asking to wait a full window', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const refused = await store.consume([{ key: 'k:tokens', limit: 10, cost: 11, windowMs: minute }], { group: group(), now: t0 });
    assert.deepEqual(refused, { allowed: false, refused: 0, count: 0, retryAfterMs: minute });
    await store.close();
  });

  it('keeps groups and keys apart', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const [a, b] = [group(), group()];
    const check = (key: string) => [{ key, limit: 1, cost: 1, windowMs: minute }];
    assert.equal((await store.consume(check('x'), { group: a, now: t0 })).allowed, true);
    assert.equal((await store.consume(check('x'), { group: b, now: t0 })).allowed, true);
    assert.equal((await store.consume(check('y'), { group: a, now: t0 })).allowed, true);
    assert.equal((await store.consume(check('x'), { group: a, now: t0 })).allowed, false);
    await store.close();
  });

  it('leases: up to the limit, all-or-nothing across keys, freed by release', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const leases = [{ key: 'key:k:concurrent', limit: 2 }, { key: 'tenant:t:concurrent', limit: 3 }];
    const opts = (id: string) => ({ group: g, id, ttlMs: 10_000, now: t0 });
    assert.deepEqual(await store.acquire(leases, opts('l1')), { acquired: true });
    assert.deepEqual(await store.acquire(leases, opts('l2')), { acquired: true });
    assert.deepEqual(await store.acquire(leases, opts('l3')), { acquired: false, refused: 0, held: 2 });
    // l3 took nothing: the tenant still has one free slot for another key.
    assert.deepEqual(await store.acquire([{ key: 'key:other:concurrent', limit: 5 }, leases[1]!], opts('l4')), { acquired: true });
    assert.deepEqual(await store.acquire([{ key: 'key:other:concurrent', limit: 5 }, leases[1]!], opts('l5')), { acquired: false, refused: 1, held: 3 });
    await store.release(leases.map((lease) => lease.key), { group: g, id: 'l1' });
    assert.deepEqual(await store.acquire(leases, opts('l6')), { acquired: true });
    await store.close();
  });

  it('leases expire after their timeout, so a crashed holder frees its slots', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const lease = [{ key: 'key:k:concurrent', limit: 1 }];
    assert.deepEqual(await store.acquire(lease, { group: g, id: 'crashed', ttlMs: 5_000, now: t0 }), { acquired: true });
    assert.equal((await store.acquire(lease, { group: g, id: 'next', ttlMs: 5_000, now: t0 + 4_999 })).acquired, false);
    assert.equal((await store.acquire(lease, { group: g, id: 'next', ttlMs: 5_000, now: t0 + 5_000 })).acquired, true);
    await store.close();
  });

  it('stays exact under concurrent callers (atomic check-and-add)', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const results = await Promise.all(Array.from({ length: 60 }, () => store.consume([{ key: 'hot', limit: 25, cost: 1, windowMs: minute }], { group: g })));
    assert.equal(results.filter((result) => result.allowed).length, 25);
    const leases = await Promise.all(Array.from({ length: 30 }, (_, i) => store.acquire([{ key: 'hot:concurrent', limit: 7 }], { group: g, id: `c${i}`, ttlMs: 10_000 })));
    assert.equal(leases.filter((result) => result.acquired).length, 7);
    await store.close();
  });

  it('spend: adds integer amounts atomically per call and returns the totals', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const counters = [{ key: 'key:k:spend', period: 'month' as const }, { key: 'tenant:t:spend', period: 'total' as const }];
    assert.deepEqual(await store.getSpend(counters, { group: g, now: t0 }), [0, 0]);
    assert.deepEqual(await store.addSpend(counters.map((counter) => ({ ...counter, amount: 1_500 })), { group: g, now: t0 }), [1_500, 1_500]);
    assert.deepEqual(await store.addSpend([{ ...counters[0]!, amount: 250 }], { group: g, now: t0 + 1000 }), [1_750]);
    assert.deepEqual(await store.getSpend(counters, { group: g, now: t0 + 2000 }), [1_750, 1_500]);
    // Another group never sees these counters.
    assert.deepEqual(await store.getSpend(counters, { group: group(), now: t0 }), [0, 0]);
    await assert.rejects(store.addSpend([{ ...counters[0]!, amount: 0.5 }], { group: g, now: t0 }), /integer/);
    await store.close();
  });

  it('spend: periods reset on UTC calendar boundaries (day, ISO week from Monday, month); total never resets', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    // 2030-01-06 is a Sunday; 2030-01-07 a Monday; 2030-01-31 23:59:59.999 is the last instant of January.
    const sunday = Date.parse('2030-01-06T23:59:59.999Z');
    const monday = Date.parse('2030-01-07T00:00:00.000Z');
    const periods = ['day', 'week', 'month', 'total'] as const;
    const counters = periods.map((period) => ({ key: `key:k:spend:${period}`, period }));
    await store.addSpend(counters.map((counter) => ({ ...counter, amount: 10 })), { group: g, now: sunday });
    assert.deepEqual(await store.getSpend(counters, { group: g, now: sunday }), [10, 10, 10, 10]);
    // One millisecond later: a new day and a new ISO week, same month.
    assert.deepEqual(await store.getSpend(counters, { group: g, now: monday }), [0, 0, 10, 10]);
    await store.addSpend(counters.map((counter) => ({ ...counter, amount: 5 })), { group: g, now: monday });
    assert.deepEqual(await store.getSpend(counters, { group: g, now: Date.parse('2030-01-13T12:00:00Z') }), [0, 5, 15, 15]);
    assert.deepEqual(await store.getSpend(counters, { group: g, now: Date.parse('2030-01-31T23:59:59.999Z') }), [0, 0, 15, 15]);
    assert.deepEqual(await store.getSpend(counters, { group: g, now: Date.parse('2030-02-01T00:00:00Z') }), [0, 0, 0, 15]);
    await store.close();
  });

  it('spend: concurrent additions are exact, and each crossing of a threshold is seen by exactly one caller', async (t) => {
    const store = await make('sliding', t);
    if (!store) return;
    const g = group();
    const counter = { key: 'project:p:spend', period: 'day' as const };
    const totals = await Promise.all(Array.from({ length: 50 }, () => store.addSpend([{ ...counter, amount: 3 }], { group: g, now: t0 })));
    assert.deepEqual(await store.getSpend([counter], { group: g, now: t0 }), [150]);
    // Totals are distinct (no lost update), so "before < 100 <= after" holds for exactly one call.
    const seen = totals.map(([total]) => total!);
    assert.equal(new Set(seen).size, 50);
    assert.equal(seen.filter((total) => total - 3 < 100 && total >= 100).length, 1);
    await store.close();
  });
}
