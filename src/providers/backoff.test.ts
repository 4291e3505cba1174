import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, sleep } from './backoff.ts';

const retry = { backoffMs: 100, maxBackoffMs: 1_000 };

test('equal jitter stays within [cap/2, cap] and doubles per attempt', () => {
  assert.equal(backoffDelay(1, retry, () => 0), 50);
  assert.equal(backoffDelay(1, retry, () => 1), 100);
  assert.equal(backoffDelay(2, retry, () => 1), 200);
  assert.equal(backoffDelay(3, retry, () => 0), 200);
  assert.equal(backoffDelay(10, retry, () => 1), 1_000);
  assert.equal(backoffDelay(10, retry, () => 0), 500);
});

test('full jitter spans [0, cap]', () => {
  assert.equal(backoffDelay(2, { ...retry, jitter: 'full' }, () => 0), 0);
  assert.equal(backoffDelay(2, { ...retry, jitter: 'full' }, () => 0.5), 100);
  assert.equal(backoffDelay(50, { ...retry, jitter: 'full' }, () => 1), 1_000);
});

test('never negative or above the ceiling, whatever random returns', () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const r of [-1, 0, 0.3, 1, 2]) {
      const d = backoffDelay(attempt, retry, () => r);
      assert.ok(d >= 0 && d <= 1_000, `${attempt} ${r} -> ${d}`);
    }
  }
});

test('sleep waits and can be aborted early', async () => {
  const t0 = Date.now();
  await sleep(20);
  assert.ok(Date.now() - t0 >= 15);
  const controller = new AbortController();
  const pending = sleep(10_000, controller.signal);
  setTimeout(() => controller.abort(), 10);
  const t1 = Date.now();
  await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
  assert.ok(Date.now() - t1 < 1_000);
  await assert.rejects(sleep(10, controller.signal));
});
