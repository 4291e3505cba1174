/**
 * One pass over a text's code units that tells which decoders can find anything in it, so that text
 * holding no candidate (nearly all text) is read once rather than by every scanner in turn. Each hint
 * is a necessary condition for its scanner's output: when a hint is absent, that scanner would return
 * nothing, so skipping it changes no result.
 *
 * The per-character loop has no data-dependent branch: on prose, a branch at every word boundary is
 * mispredicted about once a word, which costs more than all the arithmetic below. It keeps counters
 * in masks and records each word's hash; a second, predictable loop over the words looks for rot13
 * words.
 */
import { BASE64_CHAR, HEX_CLASS, HEX_RUN_CHAR, MIN_BASE64_CHARS, MIN_HEX_CHARS } from './byte-decoders.ts';
import { FNV_OFFSET, FNV_PRIME, isRot13WordHash, rot13WordHashes } from './rot13.ts';

/** MIN_BASE64_CHARS consecutive base64/base64url alphabet characters: scanBase64 may find a run. */
export const HINT_BASE64 = 1;
/** A stretch of hex-run characters holding MIN_HEX_CHARS hex digits: scanHex may find a run. */
export const HINT_HEX = 2;
/** A '%' sign: scanUrl may find a token. */
export const HINT_URL = 4;
/**
 * Two words with distinct hashes of rot13 words (a convincing stretch needs two distinct rot13 words):
 * scanRot13 may find one.
 */
export const HINT_ROT13 = 8;
/** A code unit outside ASCII. */
export const HINT_NON_ASCII = 16;

/**
 * Per-unit step of the loop, indexed by min(unit, 0x80) (0x80 stands for every non-ASCII unit).
 * STEP: bit 0 adds one to the base64 counter (bits 0-15), bit 16 one to the hex-digit counter (bits
 * 16-31); bit 20 marks '%', bit 21 non-ASCII; the sign bit marks an ASCII letter.
 * KEEP: the counters that survive the unit (0xffff: in the base64 alphabet; 0xffff0000: a hex-run character).
 */
const STEP = new Int32Array(0x81);
const KEEP = new Int32Array(0x81);
const PERCENT_BIT = 1 << 20;
const NON_ASCII_BIT = 1 << 21;
for (let c = 0; c < 0x80; c++) {
  const lower = c | 0x20;
  const letter = lower >= 0x61 && lower <= 0x7a;
  STEP[c] = 1 | (HEX_CLASS[c] === 2 ? 0x10000 : 0) | (c === 0x25 ? PERCENT_BIT : 0) | (letter ? 1 << 31 : 0);
  KEEP[c] = (BASE64_CHAR[c] === 1 ? 0xffff : 0) | (HEX_RUN_CHAR[c] === 1 ? 0xffff0000 | 0 : 0);
}
STEP[0x80] = 1 | NON_ASCII_BIT;

/** Hash of each word of the last text, filled by the first loop (scratch, reused across calls). */
let wordHashes = new Int32Array(1024);
/** Largest word scratch kept between calls. */
const MAX_KEPT_WORDS = 1 << 15;

/**
 * A word scratch of at least `capacity` slots. Kept out of decoderHints: code a function rarely runs
 * has no type feedback, and reaching it throws the function's optimised code away.
 */
function wordScratch(capacity: number): Int32Array {
  if (wordHashes.length >= capacity) return wordHashes;
  const size = Math.max(capacity, Math.min(wordHashes.length * 2, MAX_KEPT_WORDS));
  const scratch = new Int32Array(size);
  if (size <= MAX_KEPT_WORDS) wordHashes = scratch;
  return scratch;
}

/**
 * The HINT_* bits for the first `len` code units of `units`, which must be followed by a 0 (codeUnitsOf).
 * Restates the entry conditions of the scanners: a stretch of MIN_BASE64_CHARS alphabet characters
 * (scanBase64), a stretch of hex-run characters with MIN_HEX_CHARS hex digits (nextHexStretch), a '%'
 * (scanUrl), and words (maximal runs of ASCII letters) hashed as scanRot13 hashes them. Where exactness
 * would cost, the test is looser: words of any length count (scanRot13 skips single letters and long
 * words), the rot13 filter lets a few other words through, and a counter that overflows its 16 bits
 * may set the hex hint. A hint may be set when its scanner finds nothing, never the other way round.
 */
export function decoderHints(units: Uint16Array, len: number): number {
  // A word needs a letter and a unit after it, so there are at most len / 2 + 1 of them.
  const hashes = wordScratch((len >> 1) + 2);
  // Module-level bindings are re-read, with an initialisation check, at every use in optimised code.
  const step = STEP;
  const keep = KEEP;
  const offset = FNV_OFFSET;
  const prime = FNV_PRIME;
  let words = 0;
  // FNV-1a hash of the letters since the last non-letter, when the previous unit was a letter (else
  // anything: the next letter starts again from the offset basis, and nothing records it).
  let hash = offset;
  let previous = 0; // -1 when the previous unit was a letter
  let counters = 0;
  let countersSeen = 0;
  let seen = 0;
  // i runs onto units[len] (a 0, not a letter) so that the last word is recorded too.
  for (let i = 0; i <= len; i++) {
    const unit = units[i]!;
    const k = Math.min(unit, 0x80);
    const s = step[k]!;
    const letter = s >> 31; // -1 on a letter, else 0
    // Always write the open word's slot; move to the next slot when a non-letter ends a word (the slot
    // is final then: the hash is the word's).
    hashes[words] = hash;
    words -= previous & ~letter;
    // The word goes on (hash) or starts here (offset basis): chosen by a mask on the way in, which puts
    // only an and, a xor and the multiply on the chain from one unit's hash to the next.
    previous = letter;
    hash = offset ^ ((Math.imul(hash ^ (unit | 0x20), prime) ^ offset) & letter);
    counters = (counters + (s & 0x10001)) & keep[k]!;
    countersSeen |= counters;
    seen |= s;
  }
  // Every operator below runs on every call: an operator first reached by a rare text has no type
  // feedback, and reaching it would throw the optimised loop away.
  const base64 = (countersSeen & 0xffff) >= MIN_BASE64_CHARS ? HINT_BASE64 : 0;
  const hex = countersSeen >>> 16 >= MIN_HEX_CHARS ? HINT_HEX : 0;
  const url = (seen & PERCENT_BIT) !== 0 ? HINT_URL : 0;
  const nonAscii = (seen & NON_ASCII_BIT) !== 0 ? HINT_NON_ASCII : 0;
  const rot13 = hasRot13Words(hashes, words) && hasTwoRot13Words(hashes, words) ? HINT_ROT13 : 0;
  return base64 | hex | url | nonAscii | rot13;
}

/**
 * Bitset over the low ROT13_FILTER_BITS bits of a word hash: set for every rot13 word hash, so a word
 * whose bit is clear is not a rot13 word (about one other word in a thousand has its bit set).
 */
const ROT13_FILTER_BITS = 18;
const ROT13_FILTER: Int32Array = (() => {
  const filter = new Int32Array(1 << (ROT13_FILTER_BITS - 5));
  for (const hash of rot13WordHashes()) {
    const low = hash & ((1 << ROT13_FILTER_BITS) - 1);
    filter[low >>> 5] = filter[low >>> 5]! | (1 << (low & 31));
  }
  return filter;
})();

/**
 * True when two of the recorded words have distinct hashes that pass ROT13_FILTER. Branch-free, so every
 * operator runs for every word: an operator first reached by a rare text has no type feedback, and
 * reaching it would throw away the optimised code of decoderHints, which inlines this (V8 can then
 * leave the loop running as on-stack-replaced code that deoptimises at every call).
 */
function hasRot13Words(hashes: Int32Array, words: number): boolean {
  const filter = ROT13_FILTER;
  const lowMask = (1 << ROT13_FILTER_BITS) - 1;
  let first = -1; // the first passing hash
  let distinct = 0;
  for (let w = 0; w < words; w++) {
    const hash = hashes[w]! & 0x3fffffff;
    const low = hash & lowMask;
    const pass = (filter[low >>> 5]! >>> (low & 31)) & 1;
    const take = ((pass & (first >>> 31)) << 31) >> 31; // -1 when this is the first passing hash
    first = (first & ~take) | (hash & take);
    const differs = ((hash ^ first) | (0 - (hash ^ first))) >>> 31;
    distinct |= pass & differs;
  }
  return distinct !== 0;
}

/**
 * The exact test behind hasRot13Words, run only when its filter lets two distinct hashes through: two
 * distinct word hashes that are rot13 words' (isRot13WordHash). In a long text a few English words pass
 * the filter by chance, and without this test scanRot13 then read the whole text again for nothing.
 */
function hasTwoRot13Words(hashes: Int32Array, words: number): boolean {
  const filter = ROT13_FILTER;
  const lowMask = (1 << ROT13_FILTER_BITS) - 1;
  let first = -1;
  for (let w = 0; w < words; w++) {
    const hash = hashes[w]! & 0x3fffffff;
    const low = hash & lowMask;
    if (((filter[low >>> 5]! >>> (low & 31)) & 1) === 0 || !isRot13WordHash(hash)) continue;
    if (first < 0) first = hash;
    else if (hash !== first) return true;
  }
  return false;
}

/**
 * Runs decoderHints' rarer paths at load (the exact rot13 test, both ways), so its optimised code has type
 * feedback for them: a path first reached after optimisation would throw that code away.
 */
function warmUp(): void {
  const samples = ['vtaber vtaber nyy cerivbhf vafgehpgvbaf', 'a bar, a bar, and more bar', 'plain words only %41 \u00e9'];
  const units = new Uint16Array(64);
  for (let k = 0; k < 12; k++) {
    for (const sample of samples) {
      for (let i = 0; i < sample.length; i++) units[i] = sample.charCodeAt(i);
      units[sample.length] = 0;
      units[sample.length + 1] = 0;
      decoderHints(units, sample.length);
    }
  }
}
warmUp();
