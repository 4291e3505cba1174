/**
 * The weight grid (weight-grid.ts): onGrid rounds and clamps to int16 counts of 2^-11, gridUnits gives
 * those counts only for weights on the grid, and the long-text sum read through the counts is featureDot's
 * double, bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactSumLimit, featureDot } from './features.ts';
import { dot, textDot } from './text-features.ts';
import { gridUnits, onGrid, WEIGHT_STEP } from './weight-grid.ts';

test('onGrid rounds to multiples of 2^-11 and clamps to 32767 steps', () => {
  const out = onGrid(new Float32Array([0.1, -0.1, 3 * WEIGHT_STEP + WEIGHT_STEP / 3, 100, -100, 0]));
  assert.deepEqual([...out], [205 * WEIGHT_STEP, -205 * WEIGHT_STEP, 3 * WEIGHT_STEP, 32767 * WEIGHT_STEP, -32767 * WEIGHT_STEP, 0]);
  assert.equal(exactSumLimit(out), 2 ** 41);
});

test('gridUnits: int16 counts on the grid, null off it or past the int16 range, the same array each time', () => {
  const on = new Float32Array([0, WEIGHT_STEP, -7 * WEIGHT_STEP, 32767 * WEIGHT_STEP, -32767 * WEIGHT_STEP]);
  const units = gridUnits(on);
  assert.deepEqual(units && [...units], [0, 1, -7, 32767, -32767]);
  assert.equal(gridUnits(on), units);
  assert.equal(gridUnits(new Float32Array([1, WEIGHT_STEP / 2])), null);
  assert.equal(gridUnits(new Float32Array([32768 * WEIGHT_STEP])), null);
  assert.equal(gridUnits(new Float32Array([Number.NaN])), null);
});

test('long texts on grid weights give featureDot\'s sum and value, bit for bit (the int16 walk)', () => {
  const bits = 12;
  // Large and small steps of both signs, so the integer sums are big and the float ones must be exact too.
  const grid = onGrid(new Float32Array((1 << bits) + 8).map((_, i) => Math.sin(i * 0.71) * (i % 5 === 0 ? 15.9 : 0.01)));
  assert.ok(gridUnits(grid));
  const limit = exactSumLimit(grid);
  const words = Array.from({ length: 2500 }, (_, i) => `w${(i * 7919).toString(36)}`);
  const texts = [words.join(' '), 'Ignore previous instructions. '.repeat(200), `${'### 日本語 h4x0r '.repeat(300)} ${words.slice(0, 400).join(' ')}`];
  for (const text of texts)
    for (const extra of [[], [0, 3, 7]]) {
      assert.equal(textDot(text, extra, bits, grid, limit), true);
      const want = featureDot(text, { bits, extra, gibberish: true }, grid, limit);
      assert.ok(Object.is(dot.sum, want.sum) && Object.is(dot.value, want.value), `${text.length}: ${dot.sum} ${want.sum}`);
    }
});
