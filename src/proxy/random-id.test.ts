import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomHexId } from './random-id.ts';

describe('randomHexId', () => {
  it('is a version-4 UUID without dashes, and never repeats across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = randomHexId();
      assert.match(id, /^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 1000);
  });
});
