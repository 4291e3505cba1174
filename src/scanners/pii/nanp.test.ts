import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { nanpMayBeValid } from './nanp.ts';

const valid = (value: string): boolean => parsePhoneNumberFromString(value, 'US')?.isValid() === true;

describe('pii nanp pre-filter', () => {
  it('rejects plain 10-digit numbers no NANP country takes', () => {
    for (const value of ['3660170548', '366-017-0548', '(366) 017-0548', '211 017 0548']) {
      assert.equal(valid(value), false, value);
      assert.equal(nanpMayBeValid(value), false, value);
    }
  });

  it('lets through valid numbers and every shape it does not read', () => {
    for (const value of ['2125550134', '212-555-0134', '(212) 555-0134', '8005550134', '2685550134', '+1 212 555 0134', '1 212 555 0134', '212 555 0134 x12', '3105550', '011 44 20 7946 0958', '0125550134']) {
      assert.equal(nanpMayBeValid(value), true, value);
    }
  });

  it('never rejects a number libphonenumber calls valid (one per 4-digit prefix, several formats)', () => {
    let seed = 17;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const formats = [(d: string) => d, (d: string) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, (d: string) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`, (d: string) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`];
    let rejected = 0;
    for (let prefix = 2000; prefix <= 9999; prefix++) {
      const digits = String(prefix) + String(Math.floor(rand() * 1e6)).padStart(6, '0');
      const value = formats[prefix % formats.length]!(digits);
      if (nanpMayBeValid(value)) continue;
      rejected++;
      assert.equal(valid(value), false, value);
    }
    assert.ok(rejected > 1000, `rejected ${rejected}`);
  });
});
