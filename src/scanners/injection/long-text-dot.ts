/**
 * textDot for long texts (text-features.ts hands them here): featureDot's `{ sum, value }` bit for bit,
 * `featureDot(text, { bits, extra, gibberish: true }, weights, exactLimit)` for a valid limit (exactSumLimit
 * of the weights, or lower), at well under its cost.
 *
 * Past a couple of thousand units a text's weights rarely have the exact-sum certificate, so featureDot
 * sums its buckets in ascending order (drainDot, feature-bitmap.ts). Here every long text is summed that
 * way, with no certificate asked: where it holds, every order gives the exact sum, the ascending one
 * included, and where it fails the ascending order is featureDot's. A chunked or partial certificate
 * would not do: sequential rounding depends on the whole order.
 *
 * What is saved is the rest of featureDot's work: one pass over the lowercase (collect's words: CLASS, leet
 * folding, FNV hashes) with no word list; each word's buckets hashed only the first time the text has it
 * (a text repeats most of its words: a small per-text set of words); no first-seen sum and no pass over
 * the weights before the ascending one; bits set with no branch on whether a bucket is new. The
 * per-model word cache of short texts is not used: its tables are too large to stay near the processor on
 * a long text, where the few missed loads per word cost more than hashing the word's grams again. The
 * gibberish level reads only the last tokens (gibberishLevel on the text), so the scan needs the lowercase
 * alone, and a text whose lowercase is longer (İ) is read here too. text-features.test.ts checks it
 * against featureDot.
 */
import { ANY_PUNCT_CUE, BIGRAM_SALT, CLASS, FNV_OFFSET, FNV_PRIME, foldLeet, gibberishHash, GRAM_SEED, LEETCHAR, LETTER, normValue, PUNCT_CUES, PUNCT_HASHES, punctWindowText, UNIGRAM_SALT } from './features.ts';
import { gibberishLevel } from './gibberish.ts';
import { gridUnits, WEIGHT_STEP } from './weight-grid.ts';


/**
 * The distinct words of one text. Words are compared code by code, so a hash collision never merges two
 * words. Small and new for each text: it grows with the text's distinct words only.
 */
class WordSet {
  /** Per slot, keyed by the word's hash (`h & mask`, then the next slots): the hash, its codes' start in `arena` + 1 (0: empty), its size. */
  private slots = new Int32Array(3 * 64);
  private mask = 63;
  /** The codes of the words added, one after another. */
  private arena = new Uint16Array(64);
  private count = 0;
  private end = 0;

  /** Empties the set for a text of `length` units (its words' codes fit in the arena). */
  reset(length: number): void {
    if (this.arena.length < length) this.arena = new Uint16Array(length);
    // About one distinct word per 16 units in prose, room for twice that; grown when half full.
    let slots = 64;
    while (slots < length >> 3) slots *= 2;
    // The array may be larger (grown for an earlier text): only the first `slots` are used.
    if (this.slots.length < 3 * slots) this.slots = new Int32Array(3 * slots);
    else this.slots.fill(0, 0, 3 * slots);
    this.mask = slots - 1;
    this.count = 0;
    this.end = 0;
  }

  /** Adds the word `codes[1, size]` whose FNV hash is `h`; true when it is new to the set (false: added before). */
  add(codes: Uint16Array, size: number, h: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    const arena = this.arena;
    let slot = h & mask;
    for (let start = slots[3 * slot + 1]!; start !== 0; slot = (slot + 1) & mask, start = slots[3 * slot + 1]!) {
      if (slots[3 * slot] !== h || slots[3 * slot + 2] !== size) continue;
      const at = start - 2;
      let j = 1;
      while (j <= size && arena[at + j] === codes[j]) j++;
      if (j > size) return false;
    }
    const end = this.end;
    for (let j = 1; j <= size; j++) arena[end + j - 1] = codes[j]!;
    slots[3 * slot] = h;
    slots[3 * slot + 1] = end + 1;
    slots[3 * slot + 2] = size;
    this.end = end + size;
    if (++this.count * 2 > mask + 1) this.grow();
    return true;
  }

  /** Doubles the slots and puts every word back (the arena stays). */
  private grow(): void {
    const old = this.slots;
    const used = 3 * (this.mask + 1);
    const mask = 2 * (this.mask + 1) - 1;
    const slots = new Int32Array(3 * (mask + 1));
    for (let s = 0; s < used; s += 3) {
      if (old[s + 1] === 0) continue;
      let slot = old[s]! & mask;
      while (slots[3 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[3 * slot] = old[s]!;
      slots[3 * slot + 1] = old[s + 1]!;
      slots[3 * slot + 2] = old[s + 2]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

const seen = new WordSet();
/**
 * The text's buckets: one bit per bucket in `bitmap`, and one bit per word of it in `summary` (set when the
 * word holds one), so that the ascending walk skips empty words 1,024 buckets at a time (the layout of
 * feature-bitmap.ts). All-zero between calls.
 */
let bitmap = new Int32Array(1);
let summary = new Int32Array(1);
/** Set while a call has bits in the bitmaps; still set at the next call only if one threw midway. */
let dirty = false;

/**
 * Adds bucket `index`. No branch on whether it is new: that is a coin toss to the processor, and a
 * mispredicted branch costs more than setting a bit again.
 */
function mark(held: Int32Array, top: Int32Array, index: number): void {
  held[index >>> 5] = held[index >>> 5]! | (1 << (index & 31));
  top[index >>> 10] = top[index >>> 10]! | (1 << ((index >>> 5) & 31));
}

/**
 * featureDot's ascending sum, drainDot's walk (feature-bitmap.ts): `weights[index] ?? 0` over the buckets
 * from the lowest, starting from 0, so the same additions in the same order. Clears the bitmaps; writes the
 * sum and the bucket count into `drained`.
 *
 * With `steps` (the weights as int16 counts of WEIGHT_STEP, weight-grid.ts) the walk adds the counts
 * instead: an exact integer, which times WEIGHT_STEP is the exact sum, and on the grid every order of
 * float additions gives that exact sum too. The same walk either way: only the table read differs, and a
 * model's weights are on the grid or not, so the load site sees one array type in a process.
 */
const drained = { sum: 0, count: 0 };
function drain(weights: Float32Array | Int16Array, scale: number, summaryWords: number): void {
  const held = bitmap;
  const top = summary;
  let sum = 0;
  let count = 0;
  for (let s = 0; s < summaryWords; s++) {
    let words = top[s]!;
    if (words === 0) continue;
    top[s] = 0;
    while (words !== 0) {
      const low = words & -words;
      words ^= low;
      const word = (s << 5) + 31 - Math.clz32(low);
      let bits = held[word]!;
      held[word] = 0;
      while (bits !== 0) {
        const one = bits & -bits;
        bits ^= one;
        sum += weights[(word << 5) + 31 - Math.clz32(one)] ?? 0;
        count++;
      }
    }
  }
  dirty = false;
  drained.sum = sum * scale;
  drained.count = count;
}
/** The current word's folded codes at [1, size], with room for the padding spaces (grown on demand). */
let word = new Uint16Array(64);

/**
 * A word `codes[1, size]` (hash `h`) met for the first time in the text: its unigram and char grams
 * marked, as collect reads them (space-padded up to 64 units).
 */
function wordBuckets(codes: Uint16Array, size: number, h: number, mask: number): void {
  const held = bitmap;
  const top = summary;
  mark(held, top, (h ^ UNIGRAM_SALT) & mask);
  codes[0] = 32;
  codes[size + 1] = 32;
  const from = size > 64 ? 1 : 0;
  const to = size > 64 ? size + 1 : size + 2;
  // charGramBuckets (features.ts), marking as it goes: at each start the 3-, 4- and 5-gram.
  for (let s = from; s + 3 <= to; s++) {
    let g = Math.imul(Math.imul(Math.imul(GRAM_SEED ^ codes[s]!, FNV_PRIME) ^ codes[s + 1]!, FNV_PRIME) ^ codes[s + 2]!, FNV_PRIME);
    mark(held, top, g & mask);
    if (s + 3 < to) {
      g = Math.imul(g ^ codes[s + 3]!, FNV_PRIME);
      mark(held, top, g & mask);
      if (s + 4 < to) mark(held, top, Math.imul(g ^ codes[s + 4]!, FNV_PRIME) & mask);
    }
  }
}

/**
 * True when `lowered[i]` (`unit`, one of # ` - = | > [) and a neighbour read as part of a punctuation cue:
 * a doubled # ` - = (### ``` --- ===), `<|`, `|>`, or `[` before i or / ([inst], [/inst]). A lowercased
 * text (or prefix) holding a cue has one of these pairs; no other unit lowercases into them.
 */
export function cueAt(lowered: string, i: number, unit: number): boolean {
  // Reads stay in bounds (an out-of-bounds charCodeAt deoptimises the whole scan).
  const before = i > 0 ? lowered.charCodeAt(i - 1) : 0;
  if (unit === 124) return before === 60;
  if (unit === 62) return before === 124;
  if (unit === 91) {
    const after = i + 1 < lowered.length ? lowered.charCodeAt(i + 1) : 0;
    return after === 105 || after === 47;
  }
  return before === unit;
}

/** Per ASCII unit: 1 for the units cueAt looks around (# ` - = | > [). */
const CUE_UNIT = new Uint8Array(128);
for (const unit of '#`-=|>[') CUE_UNIT[unit.charCodeAt(0)] = 1;

/** The punctuation cues collect finds (in the first PUNCT_WINDOW units, lowercased), marked. */
function punctCues(text: string, lowered: string, mask: number): void {
  const lowerText = punctWindowText(text, lowered);
  if (!ANY_PUNCT_CUE.test(lowerText)) return;
  for (let c = 0; c < PUNCT_CUES.length; c++) if (lowerText.includes(PUNCT_CUES[c]!)) mark(bitmap, summary, PUNCT_HASHES[c]! & mask);
}

/**
 * featureDot(text, { bits, extra, gibberish: true }, weights, limit) into `out`, for any valid limit. The
 * caller checks what featureDot's bitmap path needs: bits within MAX_BITMAP_BITS, `weights` at least 2^bits
 * long, plain extras (ascending unique small integers).
 */
export function longTextDot(text: string, extra: readonly number[], bits: number, weights: Float32Array, out: { sum: number; value: number }): void {
  const size = 2 ** bits;
  const mask = size - 1;
  const lowered = text.toLowerCase();
  const length = lowered.length;
  const bitmapWords = Math.max(1, size / 32);
  const summaryWords = Math.max(1, bitmapWords / 32);
  if (bitmap.length < bitmapWords) {
    bitmap = new Int32Array(bitmapWords);
    summary = new Int32Array(summaryWords);
  } else if (dirty) {
    bitmap.fill(0);
    summary.fill(0);
  }
  dirty = true;
  const held = bitmap;
  const top = summary;
  seen.reset(length);
  if (word.length < length + 2) word = new Uint16Array(length + 2);
  const codes = word;
  const classOf = CLASS;
  const cueUnit = CUE_UNIT;
  let words = 0;
  let previous = 0;
  let cues = 0;
  let wordSize = 0;
  let kinds = 0;
  let h = FNV_OFFSET | 0;
  // One step past the end closes the last word.
  for (let i = 0; i <= length; i++) {
    const c = i < length ? lowered.charCodeAt(i) : 32;
    const kind = classOf[c]!;
    if (kind !== 0) {
      kinds |= kind;
      codes[++wordSize] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
      // Then the a-z letters after it, the common case.
      for (let next = i + 1 < length ? lowered.charCodeAt(i + 1) : 0; next >= 97 && next <= 122; next = i + 1 < length ? lowered.charCodeAt(i + 1) : 0) {
        i++;
        kinds |= LETTER;
        codes[++wordSize] = next;
        h = Math.imul(h ^ next, FNV_PRIME);
      }
      continue;
    }
    if (c < 128 && cueUnit[c] !== 0 && cueAt(lowered, i, c)) cues = 1;
    if (wordSize === 0) continue;
    // A word in codes[1, wordSize]: leet folded when it also has letters, as collect does.
    if ((kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR)) {
      foldLeet(codes, 1, wordSize + 1);
      h = FNV_OFFSET | 0;
      for (let j = 1; j <= wordSize; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
    }
    if (words++ > 0) mark(held, top, (Math.imul(previous, 31) ^ h ^ BIGRAM_SALT) & mask);
    previous = h;
    if (seen.add(codes, wordSize, h)) wordBuckets(codes, wordSize, h, mask);
    wordSize = 0;
    kinds = 0;
    h = FNV_OFFSET | 0;
  }
  if (cues !== 0) punctCues(text, lowered, mask);
  for (let level = gibberishLevel(text); level >= 1; level--) mark(held, top, gibberishHash(level) & mask);
  // featureDot without the certificate: the buckets ascending, then the extras as given.
  const steps = gridUnits(weights);
  if (steps) drain(steps, WEIGHT_STEP, summaryWords);
  else drain(weights, 1, summaryWords);
  let sum = drained.sum;
  for (let i = 0; i < extra.length; i++) sum += weights[size + extra[i]!] ?? 0;
  out.sum = sum;
  out.value = normValue(drained.count + extra.length);
}
