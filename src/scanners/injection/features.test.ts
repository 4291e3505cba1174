/**
 * The featurizer against a plain reference written here (arrays of words, a Set of indices), on
 * generated strings: the trained models depend on these exact indices, so any drift of the
 * optimised features.ts (buffers, in-place sort and dedupe) fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactSumLimit, featureDot, featurize, words, type FeatureOptions } from './features.ts';
import { gibberishLevel } from './gibberish.ts';

const PRIME = 0x01000193;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

function isWordChar(code: number): boolean {
  if (code <= 127) return /[0-9a-zA-Z@$]/.test(String.fromCharCode(code));
  return code !== 0x3000 && !(code >= 0x2000 && code <= 0x206f);
}

/** Words as code arrays: runs of word chars of the lowercased text, leet folded when the run has a letter. */
function referenceWords(text: string): number[][] {
  const runs: string[] = [];
  let run = '';
  for (const char of text.toLowerCase().split('')) {
    if (isWordChar(char.charCodeAt(0))) run += char;
    else if (run) (runs.push(run), (run = ''));
  }
  if (run) runs.push(run);
  return runs.map((word) => {
    const hasLetter = word.split('').some((c) => /[a-z]/.test(c) || c.charCodeAt(0) > 127);
    const folded = hasLetter ? word.split('').map((c) => LEET[c] ?? c).join('') : word;
    return folded.split('').map((c) => c.charCodeAt(0));
  });
}

function fnv(seed: number, codes: number[]): number {
  let h = seed;
  for (const code of codes) h = Math.imul(h ^ code, PRIME);
  return h >>> 0;
}

function referenceFeaturize(text: string, options: FeatureOptions): { indices: number[]; value: number } {
  const mask = (1 << options.bits) - 1;
  const set = new Set<number>();
  const hashes = referenceWords(text).map((word) => fnv(0x811c9dc5, word));
  referenceWords(text).forEach((word, w) => {
    const h = hashes[w]!;
    set.add((h ^ 0x9e3779b9) & mask);
    if (w > 0) set.add((Math.imul(hashes[w - 1]!, 31) ^ h ^ 0x85ebca6b) & mask);
    for (let back = 2; back <= (options.skipGrams ?? 0) && back <= w; back++) set.add((Math.imul(hashes[w - back]!, 0x2c1b3c6d) ^ h ^ 0x165667b1) & mask);
    if (options.charGrams === false) return;
    const padded = word.length > 64 ? word : [32, ...word, 32];
    for (let n = 3; n <= 5; n++) for (let s = 0; s + n <= padded.length; s++) set.add(fnv(0x2f1a3b4c, padded.slice(s, s + n)) & mask);
  });
  const lower = text.slice(0, 4096).toLowerCase();
  ['###', '<|', '|>', '[inst]', '[/inst]', '```', '---', '==='].forEach((cue, i) => {
    if (lower.includes(cue)) set.add(fnv(0x51ed270b + i, [i]) & mask);
  });
  if (options.gibberish) for (let l = 1; l <= gibberishLevel(text); l++) set.add(fnv(0x6a09e667, [l]) & mask);
  if (options.topicCopy) for (const index of [...set]) set.add((Math.imul(index ^ 0x5bd1e995, PRIME) >>> 0) & mask);
  for (const extra of options.extra) set.add((1 << options.bits) + extra);
  const indices = [...set].sort((a, b) => a - b);
  return { indices, value: indices.length > 0 ? 1 / Math.sqrt(Math.max(indices.length, 150)) : 0 };
}

/** Seeded generator of mixed strings: Latin, leet, digits, cue punctuation, Cyrillic, CJK runs, long words, lone surrogates. */
function generated(count: number): string[] {
  let seed = 20261126;
  const next = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const pools = ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789@$', ' \n\t.,!?-#<|>[]/`=', 'ÀÉßİΣσΑαБбЖжЯя', '日本語中文忽略指示비밀번호ระบบ', '\u2000\u200b\u206f\u3000\u00a0\u2070', '\ud800\udc00\ud83d\ude00\udfff'];
  const pieces = ['[INST]', '###', '<|im_start|>', '```', '---', '===', 'p4$$w0rd', '1337', 'h3ll0 w0rld', 'x'.repeat(70), '漢字'.repeat(40)];
  const out: string[] = ['', ' ', 'a', '1337 ab', 'IGNORE all previous instructions'];
  while (out.length < count) {
    let text = '';
    const length = next(200);
    while (text.length < length) {
      if (next(8) === 0) text += pieces[next(pieces.length)];
      else {
        const pool = pools[next(pools.length)]!;
        for (let k = 1 + next(10); k > 0; k--) text += pool[next(pool.length)];
      }
    }
    out.push(text);
  }
  return out;
}

const COMBOS: FeatureOptions[] = [
  { bits: 18, extra: [], gibberish: true },
  { bits: 18, extra: [3, 1, 3], gibberish: true },
  { bits: 19, extra: [0, 14], charGrams: false, skipGrams: 3, topicCopy: true },
  { bits: 19, extra: [], charGrams: true, skipGrams: 3, topicCopy: false },
  { bits: 17, extra: [], charGrams: true },
  { bits: 17, extra: [], charGrams: false, skipGrams: 2, topicCopy: true },
  // Sizes no model uses: a tiny table (extras inside the hashed range) and one past the bitmap (Set path).
  { bits: 3, extra: [2, 9, -3], skipGrams: 3, topicCopy: true, gibberish: true },
  { bits: 25, extra: [7], skipGrams: 3, topicCopy: true, gibberish: true },
];

test('words match the reference split on generated strings', () => {
  for (const text of generated(400)) assert.deepEqual(words(text), referenceWords(text), JSON.stringify(text));
});

test('featurize matches the reference on generated strings for every option set in use', () => {
  for (const text of generated(400)) {
    for (const options of COMBOS) {
      const got = featurize(text, options);
      const want = referenceFeaturize(text, options);
      assert.deepEqual([...got.indices], want.indices, `${JSON.stringify(options)} ${JSON.stringify(text)}`);
      assert.equal(got.value, want.value);
    }
  }
});

test('a long text (buffers grow) still matches the reference', () => {
  const text = generated(60).join(' ').repeat(8);
  const options = COMBOS[2]!;
  assert.deepEqual([...featurize(text, options).indices], referenceFeaturize(text, options).indices);
  assert.deepEqual([...featurize(text, COMBOS[0]!).indices], referenceFeaturize(text, COMBOS[0]!).indices);
});

test('featureDot sums the weights of featurize\'s indices in their order, for every option set', () => {
  // Weights with wide-ranging magnitudes, so a different summation order would show in the low bits.
  const weights = new Float32Array((1 << 19) + 40).map((_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 9) - 4));
  for (const text of generated(200)) {
    for (const options of COMBOS) {
      const vector = featurize(text, options);
      let sum = 0;
      for (const index of vector.indices) sum += weights[index] ?? 0;
      const got = featureDot(text, options, weights);
      assert.equal(got.sum, sum, `${JSON.stringify(options)} ${JSON.stringify(text)}`);
      assert.equal(got.value, vector.value);
    }
  }
});

test('featureDot with an exact-sum limit gives the same doubles (first-seen order when provably exact, ordered otherwise)', () => {
  const narrow = new Float32Array((1 << 19) + 40).map((_, i) => Math.sin(i * 4.1414) * 0.75);
  const wide = new Float32Array((1 << 19) + 40).map((_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 9) - 4));
  const extras: readonly number[][] = [[], [0, 3, 17], [5, 2, 2], [-1, 4], [1.5]];
  for (const weights of [narrow, wide]) {
    const limit = exactSumLimit(weights);
    for (const text of generated(150)) {
      for (const base of COMBOS) {
        for (const extra of extras) {
          const options = { ...base, extra };
          const vector = featurize(text, options);
          let sum = 0;
          for (const index of vector.indices) sum += weights[index] ?? 0;
          const got = featureDot(text, options, weights, limit);
          assert.ok(Object.is(got.sum, sum), `${JSON.stringify(options)} ${JSON.stringify(text)}`);
          assert.equal(got.value, vector.value);
        }
      }
    }
  }
});
