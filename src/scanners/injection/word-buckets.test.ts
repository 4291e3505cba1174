/**
 * The word cache (word-buckets.ts): an entry lists exactly the unigram and char-gram buckets featurize
 * gives the word alone, with their weights, suspects last; words are told apart by their codes even when
 * their hashes collide; reserve keeps entry ids fixed for a text or declines one too long.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featurize } from './features.ts';
import { LONGEST, WordBuckets } from './word-buckets.ts';

const BITS = 12;
const weights = new Float32Array(1 << BITS).map((_, i) => Math.fround(Math.sin(i * 0.37)));
const filter = new Int32Array((1 << BITS) / 32);
for (let i = 0; i < filter.length; i += 3) filter[i] = 0x11111111;
const lexicon = (codes: Uint16Array, size: number): number => size;

function codesOf(word: string): Uint16Array {
  const codes = new Uint16Array(LONGEST + 2);
  for (let i = 0; i < word.length; i++) codes[i + 1] = word.charCodeAt(i);
  return codes;
}

function fnv(word: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h;
}

test('an entry lists the word\'s own buckets and weights, suspects last', () => {
  const cache = new WordBuckets(BITS, weights, filter, lexicon);
  for (const word of ['a', 'ok', 'word', 'banana', 'zzzzzzzz', 'x'.repeat(LONGEST), 'héllo', '日本語']) {
    const entry = cache.entry(codesOf(word), word.length, fnv(word));
    const listed = [...cache.buckets.subarray(cache.from[entry]!, cache.from[entry + 1]!)];
    const want = [...featurize(word, { bits: BITS, extra: [] }).indices];
    assert.deepEqual([...listed].sort((x, y) => x - y), want, word);
    const split = cache.suspects[entry]! - cache.from[entry]!;
    listed.forEach((index, i) => {
      assert.equal(cache.weights[cache.from[entry]! + i], weights[index], word);
      assert.equal((filter[index >>> 5]! & (1 << (index & 31))) !== 0, i >= split, `${word} ${index}`);
    });
    assert.equal(cache.lexicon[entry], word.length);
  }
});

test('the same codes find the same entry; a colliding hash with other codes does not', () => {
  const cache = new WordBuckets(BITS, weights, filter, lexicon);
  const first = cache.entry(codesOf('alpha'), 5, 12345);
  const second = cache.entry(codesOf('bravo'), 5, 12345);
  assert.notEqual(first, second);
  assert.equal(cache.entry(codesOf('alpha'), 5, 12345), first);
  assert.equal(cache.entry(codesOf('bravo'), 5, 12345), second);
  assert.notEqual(cache.entry(codesOf('alph'), 4, 12345), first);
});

test('reserve keeps ids fixed for a text, starting over when needed, and declines texts too long', () => {
  const cache = new WordBuckets(BITS, weights, filter, lexicon);
  assert.equal(cache.reserve(1_000_000), false);
  let ids = new Map<string, number>();
  for (let round = 0; round < 30; round++) {
    assert.equal(cache.reserve(4000), true);
    ids = new Map();
    for (let w = 0; w < 1000; w++) {
      const word = `w${round}x${w}`;
      ids.set(word, cache.entry(codesOf(word), word.length, fnv(word)));
    }
    for (const [word, id] of ids) assert.equal(cache.entry(codesOf(word), word.length, fnv(word)), id, word);
  }
});

test('a cache of few words starts over when full and still lists each word\'s own buckets', () => {
  const cache = new WordBuckets(BITS, weights, filter, lexicon, 1);
  assert.equal(cache.capacity, 1);
  assert.equal(cache.reserve(2), false);
  const long = 'abcdefghijklmnopqrstuvwxyz'.repeat(2).slice(0, LONGEST);
  const words = ['one', 'two', long, 'three', long, 'x'.repeat(LONGEST), 'six', 'one'];
  for (const word of words) {
    const entry = cache.entry(codesOf(word), word.length, fnv(word));
    assert.equal(entry, 0, word);
    const listed = [...cache.buckets.subarray(cache.from[entry]!, cache.from[entry + 1]!)].sort((x, y) => x - y);
    assert.deepEqual(listed, [...featurize(word, { bits: BITS, extra: [] }).indices], word);
  }
  assert.equal(cache.generation, words.length - 1);
  assert.equal(new WordBuckets(BITS, weights, filter, lexicon).capacity, 16384);
});
