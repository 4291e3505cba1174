import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCircuitBreaker } from './circuit-breaker.ts';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

test('opens after the threshold of consecutive failures', () => {
  const c = clock();
  const b = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now: c.now });
  assert.equal(b.state, 'closed');
  b.onFailure();
  b.onFailure();
  assert.equal(b.state, 'closed');
  assert.equal(b.canPass(), true);
  b.onFailure();
  assert.equal(b.state, 'open');
  assert.equal(b.canPass(), false);
});

test('a success resets the consecutive count', () => {
  const b = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: clock().now });
  b.onFailure();
  b.onSuccess();
  b.onFailure();
  assert.equal(b.state, 'closed');
});

test('half-open lets exactly one trial through; success closes', () => {
  const c = clock();
  const b = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: c.now });
  b.onFailure();
  c.advance(499);
  assert.equal(b.canPass(), false);
  c.advance(1);
  assert.equal(b.state, 'half-open');
  assert.equal(b.canPass(), true);
  assert.equal(b.canPass(), false);
  assert.equal(b.canPass(), false);
  b.onSuccess();
  assert.equal(b.state, 'closed');
  assert.equal(b.canPass(), true);
  assert.equal(b.canPass(), true);
});

test('a failed trial re-opens for a full cooldown', () => {
  const c = clock();
  const b = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: c.now });
  b.onFailure();
  c.advance(500);
  assert.equal(b.canPass(), true);
  b.onFailure();
  assert.equal(b.state, 'open');
  c.advance(499);
  assert.equal(b.canPass(), false);
  c.advance(1);
  assert.equal(b.canPass(), true);
});

test('release frees the trial slot; a trial that never reports expires after a cooldown', () => {
  const c = clock();
  const b = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: c.now });
  b.onFailure();
  c.advance(500);
  assert.equal(b.canPass(), true);
  b.release();
  assert.equal(b.canPass(), true);
  assert.equal(b.canPass(), false);
  c.advance(500);
  assert.equal(b.canPass(), true);
});

test('late failures while open do not extend the cooldown', () => {
  const c = clock();
  const b = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: c.now });
  b.onFailure();
  c.advance(400);
  b.onFailure();
  c.advance(100);
  assert.equal(b.state, 'half-open');
});
