/**
 * Rot13 detection: a stretch of words is rot13 when decoding it turns several words into
 * common English (or prompt-injection) words while the stretch itself holds none.
 */
import type { DecodedRun } from './types.ts';
import { MAX_DECODED_BYTES } from './byte-decoders.ts';

const COMMON_WORDS = `the be to of and in that have it for not on with he as you do at this but his by from
they we say her she or an will my one all would there their what so up out if about who get which go me
when make can like time no just him know take people into year your good some could them see other than
then now look only come its over think also back after use two how our work first well way even new want
because any these give day most us is are was were been has had did does said am being here where why very
more much many such own same should must may might shall let tell show reveal print output write repeat
forget disregard ignore ignoring instructions instruction previous prior above below earlier system prompt
prompts rules rule message messages assistant user admin administrator password passwords secret secrets
key keys token tokens confidential hidden mode developer jailbreak act pretend role respond response answer
never always please task override bypass safety filter filters restrictions restricted content policy
policies execute command run code delete file files data send email hello world everything anything
nothing something thing text following guidelines unrestricted free limits without instead immediately`
  .split(/\s+/)
  .filter((w) => w.length > 0);

/** Rot13 of one string: ASCII letters rotate by 13, every other code unit is kept (so offsets line up). */
export function rot13(s: string): string {
  const units = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 0x20;
    units[i] = lower >= 0x61 && lower <= 0x7a ? (lower <= 0x6d ? c + 13 : c - 13) : c;
  }
  let out = '';
  for (let i = 0; i < units.length; i += 8192) {
    out += String.fromCharCode(...units.subarray(i, i + 8192));
  }
  return out;
}

/**
 * FNV-1a parameters of wordHash, shared with decoderHints, which hashes words the same way. The offset
 * basis is kept as an int32 (0x811c9dc5 is above 2^31: as a double it would slow every hash down).
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over the lower-cased letters of s[start, end): lets the scanner look words up without slicing. */
function wordHash(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (s.charCodeAt(i) | 0x20), FNV_PRIME);
  return h & 0x3fffffff; // a non-negative small integer: hash + 1 stays inside Int32
}

/**
 * Word hash -> score: +1 when the word is rot13 of a common word (and not common itself), -1 when it
 * is plain common English, 0 when it is both. Hash collisions with other words are possible but only
 * nudge a heuristic, so the scan skips the string comparison. An open-addressing table of typed
 * arrays: no allocation and no hashing of the key a second time on the per-word path.
 */
const TABLE_SIZE = 2048; // power of two, over twice the ~500 entries
const tableKeys = new Int32Array(TABLE_SIZE); // hash + 1; 0 = empty slot
const tableScores = new Int8Array(TABLE_SIZE);

function slotOf(hash: number): number {
  let slot = hash & (TABLE_SIZE - 1);
  while (tableKeys[slot] !== 0 && tableKeys[slot] !== hash + 1) slot = (slot + 1) & (TABLE_SIZE - 1);
  return slot;
}

function scoreOf(hash: number): number {
  const slot = slotOf(hash);
  return tableKeys[slot] === 0 ? 0 : tableScores[slot]!;
}

/** One bit per value of a hash's low 16 bits, set when some word with a positive score has them. */
const POSITIVE_BITS = new Int32Array(1 << 11);

/** False when no table word with a positive score has `hash` (a one-load filter in front of scoreOf). */
function mayBeRot13Word(hash: number): boolean {
  const low = hash & 0xffff;
  return (POSITIVE_BITS[low >>> 5]! & (1 << (low & 31))) !== 0;
}

/** Whether `hash` (a wordHash) is that of a rot13 word (a positive score): the exact test behind rot13WordHashes. */
export function isRot13WordHash(hash: number): boolean {
  return scoreOf(hash) > 0;
}

/** Every hash that counts as a rot13 word (a positive score): a stretch opens only at a word with one of these. */
export function rot13WordHashes(): number[] {
  const hashes: number[] = [];
  for (let slot = 0; slot < TABLE_SIZE; slot++) {
    if (tableKeys[slot] !== 0 && tableScores[slot]! > 0) hashes.push(tableKeys[slot]! - 1);
  }
  return hashes;
}

(() => {
  const plain = new Set(COMMON_WORDS);
  const put = (word: string, score: number): void => {
    const hash = wordHash(word, 0, word.length);
    const slot = slotOf(hash);
    tableKeys[slot] = hash + 1;
    tableScores[slot] = score;
    const bitsAt = (hash & 0xffff) >>> 5;
    if (score > 0) POSITIVE_BITS[bitsAt] = POSITIVE_BITS[bitsAt]! | (1 << (hash & 31));
  };
  for (const word of COMMON_WORDS) {
    const encoded = rot13(word);
    put(word, plain.has(encoded) ? 0 : -1);
    if (!plain.has(encoded)) put(encoded, 1);
  }
})();

/** Longest word looked up; single letters and longer words are neutral. */
const MAX_WORD = 24;
/** Words further apart than this belong to different stretches. */
const MAX_GAP = 32;

/** Stretch thresholds (distinct rot13 words, their letters, the longest): short "bar"/"ure" pairs are real words. */
const MIN_DISTINCT = 2;
const MIN_DISTINCT_LETTERS = 8;
const MIN_LONGEST = 4;

/**
 * The open stretch: from the first to the last rot13 word seen since the last plain English word. A class
 * rather than a closure over locals, and its set is made at the first rot13 word: most texts have none,
 * and this runs for every segment of every request.
 */
class Stretch {
  distinct: Set<number> | null = null;
  distinctLetters = 0;
  plusCount = 0;
  /** Words from the first rot13 word up to the last one. */
  words = 0;
  /** Words seen after the last rot13 word. */
  pendingWords = 0;
  longest = 0;
  runStart = -1;
  runEnd = -1;

  /** Adds a rot13 word s[start, end) with its hash. */
  addRot13Word(start: number, end: number, hash: number): void {
    if (this.runStart < 0) this.runStart = start;
    this.runEnd = end;
    this.plusCount++;
    this.words += this.pendingWords + 1;
    this.pendingWords = 0;
    const length = end - start;
    if (length > this.longest) this.longest = length;
    const distinct = (this.distinct ??= new Set<number>());
    if (!distinct.has(hash)) {
      distinct.add(hash);
      this.distinctLetters += length;
    }
  }

  /** Reports the stretch to `out` when it is convincing, then empties it. */
  close(s: string, out: DecodedRun[]): void {
    // Nothing was added since the last close (the usual case: plain English closes at every common word).
    if (this.runStart < 0) return;
    const distinctCount = this.distinct?.size ?? 0;
    const convincing =
      distinctCount >= MIN_DISTINCT &&
      this.distinctLetters >= MIN_DISTINCT_LETTERS &&
      this.longest >= MIN_LONGEST &&
      this.plusCount * 3 >= this.words;
    if (this.runStart >= 0 && convincing) {
      const end = Math.min(this.runEnd, this.runStart + MAX_DECODED_BYTES);
      out.push({ encoding: 'rot13', start: this.runStart, end, text: rot13(s.slice(this.runStart, end)) });
    }
    // Set.clear() allocates a fresh table in V8; plain English closes an empty stretch at every word.
    if (distinctCount > 0) this.distinct!.clear();
    this.distinctLetters = 0;
    this.plusCount = 0;
    this.words = 0;
    this.pendingWords = 0;
    this.longest = 0;
    this.runStart = -1;
    this.runEnd = -1;
  }
}

/**
 * Finds stretches of rot13-encoded English and decodes them; linear in the length of `s`. `units` holds
 * the code units of `s` followed by a 0 (see codeUnitsOf). While no stretch is open (nearly always), only
 * a rot13 word matters, so the loop only hashes words and tests them against POSITIVE_BITS.
 */
export function scanRot13(s: string, units: Uint16Array, limit: number): DecodedRun[] {
  const out: DecodedRun[] = [];
  if (limit <= 0) return out;
  const len = s.length;
  // Locals: module-level bindings are re-read, with an initialisation check, at every use.
  const offset = FNV_OFFSET;
  const prime = FNV_PRIME;
  let stretch: Stretch | undefined;
  let lastWordEnd = -1;
  let i = 0;
  while (i < len) {
    let c = units[i]!;
    if (((c | 0x20) - 0x61) >>> 0 >= 26) {
      i++;
      continue;
    }
    const start = i;
    // The word's wordHash, computed while finding its end (one read of each letter; units[len] is 0).
    let h = offset;
    do {
      h = Math.imul(h ^ (c | 0x20), prime);
      c = units[++i]!;
    } while (((c | 0x20) - 0x61) >>> 0 < 26);
    const length = i - start;
    // Single letters and very long words are neutral.
    const hash = length >= 2 && length <= MAX_WORD ? h & 0x3fffffff : -1;
    if (stretch !== undefined && stretch.runStart >= 0) {
      if (start - lastWordEnd > MAX_GAP) {
        stretch.close(s, out);
        if (out.length >= limit) return out;
      }
    }
    lastWordEnd = i;
    if (stretch === undefined || stretch.runStart < 0) {
      // Nothing open: a plain word closes nothing and a neutral one is not counted.
      if (hash >= 0 && mayBeRot13Word(hash) && scoreOf(hash) > 0) (stretch ??= new Stretch()).addRot13Word(start, i, hash);
      continue;
    }
    const score = hash >= 0 ? scoreOf(hash) : 0;
    if (score < 0) {
      stretch.close(s, out);
      if (out.length >= limit) return out;
    } else if (score > 0) {
      stretch.addRot13Word(start, i, hash);
    } else {
      stretch.pendingWords++;
    }
  }
  stretch?.close(s, out);
  return out;
}
