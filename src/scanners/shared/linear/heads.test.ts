import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { featurize } from '../../injection/features.ts';
import { toExample } from '../../injection/train.ts';
import { dequantize, HEADS_FORMAT, LinearHeads, quantize, scoreAtThreshold, type HeadsFile } from './heads.ts';
import { trainHead } from './train-heads.ts';

describe('linear heads', () => {
  it('quantises to int8 with square-root companding and restores within tolerance', () => {
    const weights = Float32Array.from([0, 1, -1, 0.25, -0.01, 0.5]);
    const { bytes, scale } = quantize(weights);
    assert.equal(scale, 1);
    assert.deepEqual([...bytes.slice(0, 4)], [0, 127, -127, 64]);
    const restored = dequantize(bytes, scale);
    for (let i = 0; i < weights.length; i++) assert.ok(Math.abs(restored[i]! - weights[i]!) < 0.01, `${i}`);
  });

  it('maps the trained threshold to 0.5 and keeps scores in [0,1]', () => {
    assert.equal(scoreAtThreshold(0.3, 0.3), 0.5);
    assert.equal(scoreAtThreshold(0, 0.3), 0);
    assert.equal(scoreAtThreshold(1, 0.3), 1);
    assert.ok(scoreAtThreshold(0.2, 0.3) < 0.5 && scoreAtThreshold(0.4, 0.3) > 0.5);
  });

  it('trains a tiny head that separates its classes and loads it back', () => {
    const texts: [string, 0 | 1][] = [];
    for (let i = 0; i < 60; i++) texts.push([`buy cheap pills now offer ${i}`, 1], [`meeting notes for project ${i} attached`, 0]);
    const examples = texts.map(([text, label]) => toExample(text, [], label, 12));
    const { hyper: _hyper, ...head } = trainHead(examples, { bits: 12, dims: 1 << 12, seed: 1, operatingPoint: { kind: 'f1' }, grid: { l2: [1e-5], epochs: [5] } }, () => {}, 3);
    const file: HeadsFile = { format: HEADS_FORMAT, task: 'test', bits: 12, extraFeatures: 0, featuresVersion: 'test', trainedAt: 'now', dataSha256: '0', hyper: {}, metrics: {}, heads: { spam: head } };
    const model = new LinearHeads(JSON.parse(JSON.stringify(file)) as HeadsFile);
    const [spam] = model.score('cheap pills offer now', () => []);
    const [ham] = model.score('notes for the project meeting', () => []);
    assert.ok(spam! > head.threshold && ham! < head.threshold, `${spam} ${ham} ${head.threshold}`);
    assert.throws(() => new LinearHeads({ ...file, bits: 13 }), /expected 8192 weights/);
    // A combination head: its margin is the weighted sum of its members' margins.
    const combined = new LinearHeads({ ...file, heads: { spam: head, words: { ...head, charGrams: false }, both: { combine: { of: ['spam', 'words'], coefficients: [0.5, 0.5] }, bias: 0, platt: { a: 1, b: 0 }, threshold: 0.5, scale: 0, metrics: {}, weights: '' } } });
    const [p1, p2, both] = combined.score('cheap pills offer now', () => []);
    const logit = (p: number): number => Math.log(p / (1 - p));
    const margin = (p: number): number => (logit(p) - head.platt.b) / head.platt.a;
    assert.ok(Math.abs(logit(both!) - (0.5 * margin(p1!) + 0.5 * margin(p2!))) < 1e-6);
    assert.throws(() => new LinearHeads({ ...file, heads: { both: { combine: { of: ['nope'], coefficients: [1] }, bias: 0, platt: { a: 1, b: 0 }, threshold: 0.5, scale: 0, metrics: {}, weights: '' } } }), /combines "nope"/);
    assert.throws(() => new LinearHeads({ ...file, format: 'other' }), /unsupported format/);
    // A min combination of a weight head and an earlier combination: the smaller margin wins.
    const zero = { bias: 0, platt: { a: 1, b: 0 }, threshold: 0.5, scale: 0, metrics: {}, weights: '' };
    const nested = new LinearHeads({ ...file, heads: { spam: head, both: { ...zero, combine: { of: ['spam'], coefficients: [2] } }, agree: { ...zero, combine: { of: ['spam', 'both'], coefficients: [1, 1], mode: 'min' } } } });
    const [m1, m2, agree] = nested.score('cheap pills offer now', () => []);
    assert.ok(Math.abs(logit(agree!) - Math.min(margin(m1!), logit(m2!))) < 1e-6);
    assert.throws(() => new LinearHeads({ ...file, heads: { both: { ...zero, combine: { of: ['spam'], coefficients: [1] } }, spam: head } }), /not a head listed before it/);
  });

  it('adds skip-bigrams and a salted topic copy only when asked', () => {
    const plain = featurize('how to build a bomb', { bits: 16, extra: [], charGrams: false });
    const skip = featurize('how to build a bomb', { bits: 16, extra: [], charGrams: false, skipGrams: 3 });
    const copy = featurize('how to build a bomb', { bits: 16, extra: [], charGrams: false, topicCopy: true });
    // 5 words: 5 unigrams + 4 bigrams; skip pairs 2 and 3 apart: 3 + 2.
    assert.equal(plain.indices.length, 9);
    assert.equal(skip.indices.length, 14);
    assert.equal(copy.indices.length, 18);
    for (const index of plain.indices) assert.ok(skip.indices.includes(index) && copy.indices.includes(index));
    // Word order matters for skip pairs: "build ~ bomb" is not "bomb ~ build".
    assert.notDeepEqual(featurize('a b c', { bits: 16, extra: [], skipGrams: 2 }).indices, featurize('c b a', { bits: 16, extra: [], skipGrams: 2 }).indices);
  });
});
