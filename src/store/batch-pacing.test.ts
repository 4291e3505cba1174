import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BatchTimer, FlushWaiters, retryDelayMs } from './batch-pacing.ts';

describe('retryDelayMs', () => {
  it('uses the interval while writes succeed, then doubles per failure up to 5 s', () => {
    assert.equal(retryDelayMs(50, 0), 50);
    assert.equal(retryDelayMs(50, 1), 100);
    assert.equal(retryDelayMs(50, 3), 400);
    assert.equal(retryDelayMs(50, 10), 5_000);
    assert.equal(retryDelayMs(50, 1_000), 5_000);
  });
});

describe('BatchTimer', () => {
  it('keeps the pending timer for a later request and replaces it for an immediate one', async () => {
    let fired = 0;
    const timer = new BatchTimer(() => fired++);
    timer.schedule(10_000);
    timer.schedule(20_000);
    assert.equal(timer.isPending(), true);
    timer.schedule(0);
    await sleep(20);
    assert.equal(fired, 1, 'the 0 ms request replaced the 10 s timer and fired once');
    assert.equal(timer.isPending(), false);
  });

  it('clear() cancels the pending timer', async () => {
    let fired = 0;
    const timer = new BatchTimer(() => fired++);
    timer.schedule(5);
    timer.clear();
    await sleep(20);
    assert.equal(fired, 0);
    assert.equal(timer.isPending(), false);
  });
});

describe('FlushWaiters', () => {
  it('resolves only the waiters whose target is reached, and rejects the rest on failure', async () => {
    const waiters = new FlushWaiters();
    const order: string[] = [];
    const first = waiters.wait(3).then(() => order.push('first'));
    const second = waiters.wait(7).then(
      () => order.push('second resolved'),
      (err: Error) => order.push(`second rejected: ${err.message}`),
    );
    assert.equal(waiters.settle(2), false);
    assert.equal(waiters.settle(5), true);
    assert.equal(waiters.size, 1);
    waiters.rejectAll(() => new Error('disk full'));
    assert.equal(waiters.size, 0);
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first', 'second rejected: disk full']);
  });
});
