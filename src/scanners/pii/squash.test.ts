import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marginConfidence } from './infer.ts';
import { squash } from './squash.ts';

describe('pii squash', () => {
  it('equals marginConfidence for every integer margin up to saturation (one divisor)', () => {
    const divisor = 19920.662664336196;
    for (let m = 0; m <= 41 * divisor; m++) if (squash(m, divisor) !== marginConfidence(m, divisor)) assert.fail(`margin ${m}`);
  });

  it('equals marginConfidence for random divisors and margins, and odd inputs', () => {
    let seed = 9;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 30; k++) {
      const divisor = 0.5 + rand() * 60000;
      for (let j = 0; j < 20000; j++) {
        const m = Math.floor(rand() * 45 * divisor);
        if (squash(m, divisor) !== marginConfidence(m, divisor)) assert.fail(`margin ${m}, divisor ${divisor}`);
      }
    }
    for (const [m, divisor] of [[-1, 100], [0.5, 100], [NaN, 100], [2 ** 24, 100], [5, 0], [5, -3], [5, Infinity]] as const) {
      assert.ok(Object.is(squash(m, divisor), marginConfidence(m, divisor)), `${m} / ${divisor}`);
    }
  });
});
