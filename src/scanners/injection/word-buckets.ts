/**
 * Each word's hashed buckets with their weights, cached per model (piece-scan.ts; text-features.ts for the
 * direct classifier, with its own cache and no suspects): a word's unigram and
 * space-padded char 3-5-grams (collect in features.ts) depend on its folded codes alone, so a word met
 * again costs a table probe and a code comparison instead of its hashing, and its weights are read in a
 * row instead of one scattered load per bucket. An entry lists the word's buckets once each, those some
 * piece's constant tokens may also hold last (suspects: the caller settles them per piece).
 *
 * Bounded: at most MAX_WORDS words of at most LONGEST units; when full, the table starts over.
 * Entries are compared code by code, so a hash collision never mixes two words.
 */
import { charGramBuckets, gramBuffer, UNIGRAM_SALT } from './features.ts';

/** Longest word cached (longer ones are hashed where they are met). */
export const LONGEST = 32;
/** At most 2^16 - 1 (entry + 1 is packed in 16 bits). */
const MAX_WORDS = 16384;
const SLOTS = 4 * MAX_WORDS;
export const SLOT_MASK = SLOTS - 1;
/** Pool sizes per entry: an average word of 10 units with 32 buckets fits; a word of LONGEST units has at most 3 * LONGEST + 4. */
const CODE_SHARE = 10;
const BUCKET_SHARE = 32;

/** The cache of one weights array at one bucket count. */
export class WordBuckets {
  /**
   * Per slot, keyed by the word's hash (`h & SLOT_MASK`, then the next slots): the hash, then
   * `size << 16 | entry + 1` (0: empty), side by side for one probe. Entry e's codes are
   * `codes[codeFrom[e], codeFrom[e] + size)`. Read-only outside (piece-scan.ts probes them itself).
   */
  readonly slots = new Int32Array(2 * SLOTS);
  readonly codeFrom: Int32Array;
  readonly codes: Uint16Array;
  /**
   * Entry e lists `buckets[from[e], from[e + 1])` and their `weights`; from `suspects[e]` on, the buckets
   * some combination's constant buckets hold (piece-tokens.ts filter).
   */
  readonly from: Int32Array;
  readonly suspects: Int32Array;
  readonly buckets: Int32Array;
  readonly weights: Float32Array;
  /** Per entry: the word's lexicon bits (piece-cues.ts; what the cue stream asks of a word). */
  readonly lexicon: Uint8Array;
  /** Entries there can be (entry ids are below it). */
  readonly capacity: number;
  /** How many times the table has started over (entry ids met before then may now name other words). */
  generation = 0;
  private count = 0;
  /** Scratch: one bit per bucket (all-zero between words), deduplicating a word's buckets. */
  private readonly seen: Int32Array;

  /**
   * @param bits log2 of the bucket count.
   * @param weightsOf the model's weights.
   * @param filter one bit per bucket that some constant token list holds (piece-tokens.ts).
   * @param lexiconOf a word's lexicon bits from its codes at [1, size] and hash.
   * @param words entries held before the table starts over (MAX_WORDS; fewer only to make it start over
   *   soon, as text-features.ts's warm-up and the tests do), with pools in proportion.
   */
  constructor(
    private readonly bits: number,
    private readonly weightsOf: Float32Array,
    private readonly filter: Int32Array,
    private readonly lexiconOf: (codes: Uint16Array, size: number, h: number) => number,
    words = MAX_WORDS,
  ) {
    this.seen = new Int32Array(Math.max(1, 2 ** bits / 32));
    this.capacity = Math.max(1, Math.min(MAX_WORDS, Math.floor(words)));
    this.codeFrom = new Int32Array(this.capacity + 1);
    // The pools hold at least one word of LONGEST units.
    this.codes = new Uint16Array(Math.max(this.capacity * CODE_SHARE, LONGEST));
    this.from = new Int32Array(this.capacity + 1);
    this.suspects = new Int32Array(this.capacity);
    this.buckets = new Int32Array(Math.max(this.capacity * BUCKET_SHARE, 3 * LONGEST + 4));
    this.weights = new Float32Array(this.buckets.length);
    this.lexicon = new Uint8Array(this.capacity);
  }

  /** The entry of the word `word[1, size]` (folded codes, size <= LONGEST) whose FNV hash is `h`, or -1 when it has none (nothing is added). */
  find(word: Uint16Array, size: number, h: number): number {
    const slots = this.slots;
    const key = size << 16;
    for (let slot = h & SLOT_MASK, packed = slots[2 * slot + 1]!; packed !== 0; slot = (slot + 1) & SLOT_MASK, packed = slots[2 * slot + 1]!) {
      if (slots[2 * slot] !== h || (packed & ~0xffff) !== key) continue;
      const entry = (packed & 0xffff) - 1;
      const codes = this.codes;
      const at = this.codeFrom[entry]! - 1;
      let j = 1;
      while (j <= size && codes[at + j] === word[j]) j++;
      if (j > size) return entry;
    }
    return -1;
  }

  /** The entry of the word `word[1, size]` (folded codes, size <= LONGEST) whose FNV hash is `h`, built when new. */
  entry(word: Uint16Array, size: number, h: number): number {
    const found = this.find(word, size, h);
    if (found >= 0) return found;
    const slots = this.slots;
    const mask = SLOT_MASK;
    let slot = h & mask;
    while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    const key = size << 16;
    if (this.count === this.capacity || this.codeFrom[this.count]! + size > this.codes.length || this.from[this.count]! + 3 * size + 4 > this.buckets.length) {
      // Only without a reservation (see reserve): entry ids change.
      this.clear();
      slot = h & mask;
    }
    const entry = this.count++;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = key | (entry + 1);
    this.lexicon[entry] = this.lexiconOf(word, size, h);
    const codeAt = this.codeFrom[entry]!;
    for (let j = 1; j <= size; j++) this.codes[codeAt + j - 1] = word[j]!;
    this.codeFrom[entry + 1] = codeAt + size;
    const start = this.from[entry]!;
    const end = this.list(word, size, h, start);
    this.from[entry + 1] = end;
    this.suspects[entry] = this.partition(start, end);
    return entry;
  }

  /**
   * Makes room for every word and letter run of a text of `length` units, so that entry ids stay fixed
   * while it is read (the cue stream keys words by them); false when the text could not fit even an
   * empty cache (the caller then does without it).
   */
  reserve(length: number): boolean {
    // Words and letter runs: at most 2 * length entries and code units; at most 3 * units + 4 buckets each.
    const entries = 2 * length + 2;
    const buckets = 6 * length + 4 * entries;
    const codePool = this.codes.length;
    const bucketPool = this.buckets.length;
    if (entries > this.capacity || 2 * length > codePool || buckets > bucketPool) return false;
    if (this.count + entries > this.capacity || this.codeFrom[this.count]! + 2 * length > codePool || this.from[this.count]! + buckets > bucketPool) this.clear();
    return true;
  }

  private clear(): void {
    this.slots.fill(0);
    this.count = 0;
    this.generation++;
  }

  /** Lists the word's unique buckets from `at` (unigram, then char grams as collect reads them); returns the end. */
  private list(word: Uint16Array, size: number, h: number, at: number): number {
    const mask = (1 << this.bits) - 1;
    const start = at;
    at = this.add((h ^ UNIGRAM_SALT) & mask, at);
    // Space-padded (a word of at most LONGEST units is never read unpadded).
    word[0] = 32;
    word[size + 1] = 32;
    const grams = gramBuffer(size + 2);
    for (let i = 0, n = charGramBuckets(word, 0, size + 2, mask, grams); i < n; i++) at = this.add(grams[i]!, at);
    for (let i = start; i < at; i++) this.seen[this.buckets[i]! >>> 5] = 0;
    return at;
  }

  /** Moves the suspects of `[start, end)` to its end (order within a word does not matter); returns where they start. */
  private partition(start: number, end: number): number {
    const buckets = this.buckets;
    const weights = this.weights;
    let split = end;
    for (let i = start; i < split; ) {
      const index = buckets[i]!;
      if ((this.filter[index >>> 5]! & (1 << (index & 31))) === 0) {
        i++;
        continue;
      }
      split--;
      buckets[i] = buckets[split]!;
      buckets[split] = index;
      const weight = weights[i]!;
      weights[i] = weights[split]!;
      weights[split] = weight;
    }
    return split;
  }

  private add(index: number, at: number): number {
    const word = index >>> 5;
    const bit = 1 << (index & 31);
    if ((this.seen[word]! & bit) !== 0) return at;
    this.seen[word] = this.seen[word]! | bit;
    this.buckets[at] = index;
    this.weights[at] = this.weightsOf[index] ?? 0;
    return at + 1;
  }
}

const caches = new WeakMap<Float32Array, Map<number, WordBuckets>>();

/** The word cache of `weights` at `bits` (with `filter` and `lexiconOf`, fixed per bits). */
export function wordBucketsOf(weights: Float32Array, bits: number, filter: Int32Array, lexiconOf: (codes: Uint16Array, size: number, h: number) => number): WordBuckets {
  let byBits = caches.get(weights);
  if (!byBits) caches.set(weights, (byBits = new Map()));
  let cache = byBits.get(bits);
  if (!cache) byBits.set(bits, (cache = new WordBuckets(bits, weights, filter, lexiconOf)));
  return cache;
}
