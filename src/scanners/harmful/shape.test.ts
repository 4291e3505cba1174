import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CUE_FEATURES, harmfulCues } from './cues.ts';
import { SHAPE_BITS, shapeFeatures } from './shape.ts';

describe('harmful: request shape features', () => {
  it('hashes the opening words, the closing words and a length bucket into the shape block', () => {
    const ids = shapeFeatures('How can I pick a lock quickly');
    // Openings of 1-4 words, one closing pair, one length bucket.
    assert.equal(ids.length, 6);
    for (const id of ids) assert.ok(Number.isInteger(id) && id >= 0 && id < 1 << SHAPE_BITS, String(id));
    assert.deepEqual(shapeFeatures(''), []);
    assert.deepEqual(shapeFeatures('?!'), []);
  });

  it('shares the opening of two requests with the same form and separates other forms', () => {
    const a = new Set(shapeFeatures('How can I bake sourdough bread at home'));
    const b = shapeFeatures('How can I fix a flat tyre on my bike');
    const c = shapeFeatures('Write a poem about the sea and the sky');
    // "how", "how can", "how can i" and the length bucket are shared; the fourth word and the ending are not.
    assert.equal(b.filter((id) => a.has(id)).length, 4);
    assert.equal(c.filter((id) => a.has(id)).length, 1);
    // Leetspeak is folded like the n-gram features: the same opening either way.
    assert.deepEqual(shapeFeatures('h0w can i do it'), shapeFeatures('how can i do it'));
  });

  it('places the shape ids after the dense cue flags, inside the model extra features', () => {
    const ids = harmfulCues('How can I pick a lock quickly').ids;
    const shapeStart = CUE_FEATURES - (1 << SHAPE_BITS);
    assert.equal(ids.filter((id) => id >= shapeStart).length, 6);
    assert.ok(ids.every((id) => id >= 0 && id < CUE_FEATURES));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  });
});
