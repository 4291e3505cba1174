import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetGuard, type BudgetRule } from './budgets.ts';
import { createMemoryLimitStore } from './memory-limit-store.ts';
import { periodWindow } from './periods.ts';
import { costMicros, createPriceList } from './pricing.ts';
import type { LimitStore } from './types.ts';

const subject = { tenant: 'ten_1', project: 'prj_1', key: 'key_1' };
const price = createPriceList([
  { match: 'gpt-4o-mini*', inputPerMillion: 0.15, outputPerMillion: 0.6, currency: 'USD' },
  { match: 'gpt-4o*', inputPerMillion: 2.5, outputPerMillion: 10, currency: 'USD' },
  { match: 'mistral-*', inputPerMillion: 2, outputPerMillion: 6, currency: 'EUR' },
]);
const now = Date.parse('2030-03-15T12:00:00Z');

function guard(rules: BudgetRule[], options: { unpriced?: 'block' | 'allow-and-log'; store?: LimitStore } = {}): { guard: BudgetGuard; store: LimitStore } {
  const store = options.store ?? createMemoryLimitStore();
  return {
    store,
    guard: new BudgetGuard({ store, price, budgets: (scope, id) => rules.filter((rule) => rule.scope === scope && rule.id === id), unpricedModels: options.unpriced ?? 'block', defaultOutputTokens: 500, now: () => now }),
  };
}

describe('pricing', () => {
  it('matches globs first-wins and prices tokens in integer micro-units', () => {
    assert.deepEqual(price('gpt-4o-mini-2024'), { inputPerMillion: 0.15, outputPerMillion: 0.6, currency: 'USD' });
    assert.equal(price('gpt-4o')?.inputPerMillion, 2.5);
    assert.equal(price('claude-3'), null);
    // 1,000 input tokens at 2.5/M + 200 output at 10/M = 0.0025 + 0.002 = 0.0045 USD = 4,500 micro-USD.
    assert.equal(costMicros(price('gpt-4o')!, 1000, 200), 4500);
  });

  it('periods end on UTC calendar boundaries', () => {
    assert.equal(new Date(periodWindow('month', now).end!).toISOString(), '2030-04-01T00:00:00.000Z');
    // 2030-03-15 is a Friday: the ISO week began Monday 2030-03-11.
    assert.deepEqual(periodWindow('week', now).id, '2030-03-11');
    assert.equal(new Date(periodWindow('day', now).end!).toISOString(), '2030-03-16T00:00:00.000Z');
    assert.equal(periodWindow('total', now).end, null);
  });
});

describe('BudgetGuard', () => {
  const key = (amount: number, soft: number | null = null): BudgetRule => ({ scope: 'key', id: 'key_1', amount, currency: 'USD', period: 'month', soft });

  it('admits without touching the store when no budget applies, and never charges the scan API (model null)', async () => {
    const store = createMemoryLimitStore();
    let calls = 0;
    const counting: LimitStore = { ...store, getSpend: async (...args) => ((calls += 1), store.getSpend(...args)) };
    const { guard: none } = guard([], { store: counting });
    assert.deepEqual(await none.check(subject, 'gpt-4o', { inputTokens: 10, maxOutputTokens: null }), { ok: true, hold: null, unpriced: false });
    const { guard: some } = guard([key(1)], { store: counting });
    assert.deepEqual(await some.check(subject, null, { inputTokens: 10, maxOutputTokens: null }), { ok: true, hold: null, unpriced: false });
    assert.equal(calls, 0);
  });

  it('refuses once recorded spend passes the hard budget, naming scope, spend and period end', async () => {
    const { guard: g } = guard([key(0.01)]);
    // Each call: 1,000 in + 300 out at gpt-4o = 0.0025 + 0.003 = 0.0055 USD.
    const first = await g.check(subject, 'gpt-4o', { inputTokens: 1000, maxOutputTokens: 300 });
    assert.equal(first.ok, true);
    assert.ok(first.ok && first.hold);
    await g.settle(first.hold, { inputTokens: 1000, outputTokens: 300 });
    // 0.0055 spent; another 0.0055 would reach 0.011 > 0.01: refused before the call.
    const second = await g.check(subject, 'gpt-4o', { inputTokens: 1000, maxOutputTokens: 300 });
    assert.equal(second.ok, false);
    assert.ok(!second.ok && second.reason === 'exceeded');
    assert.equal(second.spentMicros, 5500);
    assert.equal(second.estimateMicros, 5500);
    assert.equal(second.rule.scope, 'key');
    assert.equal(new Date(second.periodEnd!).toISOString(), '2030-04-01T00:00:00.000Z');
    // A smaller call still fits (no max_tokens: the default output estimate of 500 tokens applies).
    const small = await g.check(subject, 'gpt-4o-mini', { inputTokens: 1000, maxOutputTokens: null });
    assert.equal(small.ok, true);
  });

  it('charges the estimate when the upstream reports no usage', async () => {
    const { guard: g, store } = guard([key(10)]);
    const check = await g.check(subject, 'gpt-4o', { inputTokens: 400, maxOutputTokens: 100 });
    assert.ok(check.ok && check.hold);
    await g.settle(check.hold, null);
    assert.deepEqual(await store.getSpend([{ key: 'key:key_1:spend:USD', period: 'month' }], { group: 'ten_1', now }), [costMicros(price('gpt-4o')!, 400, 100)]);
  });

  it('reports the soft threshold exactly once per period, whichever scope crosses it', async () => {
    const rules: BudgetRule[] = [key(1, 0.5), { scope: 'tenant', id: 'ten_1', amount: 100, currency: 'USD', period: 'day', soft: 0.8 }];
    const { guard: g } = guard(rules);
    const crossings: string[] = [];
    // 0.1 USD per call: 1e5 micro = 40,000 input tokens at 2.5/M.
    for (let call = 0; call < 10; call += 1) {
      const check = await g.check(subject, 'gpt-4o', { inputTokens: 40_000, maxOutputTokens: 0 });
      assert.ok(check.ok && check.hold, `call ${call} should be admitted`);
      for (const crossed of await g.settle(check.hold, { inputTokens: 40_000, outputTokens: 0 })) crossings.push(`${crossed.rule.scope}@${call}`);
    }
    // Soft 0.5 of 1 USD is crossed by the fifth call (0.5 USD), and only then; the tenth reaches exactly 1 USD (allowed), the eleventh is refused.
    assert.deepEqual(crossings, ['key@4']);
    const refused = await g.check(subject, 'gpt-4o', { inputTokens: 40_000, maxOutputTokens: 0 });
    assert.equal(refused.ok, false);
  });

  it('unpriced models: blocked when a budget applies (default), served uncounted with allow-and-log; other currencies count as unpriced', async () => {
    const { guard: blocking } = guard([key(5)]);
    const refused = await blocking.check(subject, 'claude-3', { inputTokens: 10, maxOutputTokens: 10 });
    assert.ok(!refused.ok && refused.reason === 'unpriced');
    const euro = await blocking.check(subject, 'mistral-large', { inputTokens: 10, maxOutputTokens: 10 });
    assert.ok(!euro.ok && euro.reason === 'unpriced');
    const { guard: lenient } = guard([key(5)], { unpriced: 'allow-and-log' });
    assert.deepEqual(await lenient.check(subject, 'claude-3', { inputTokens: 10, maxOutputTokens: 10 }), { ok: true, hold: null, unpriced: true });
  });
});
