/**
 * Builds the canonical text: hidden characters removed (and reported), then NFKC and homoglyph
 * folding applied chunk by chunk (a base code point plus its combining marks), so that every
 * canonical code unit keeps a link to the original span it came from.
 */
import type { HiddenRun } from './types.ts';
import { confusableFor, foldConfusables } from './confusables.ts';
import { HiddenRunCollector, hiddenKindOf } from './hidden-characters.ts';
import { OffsetMapBuilder, type SpanMapper } from './offset-map.ts';
import { TextBuilder } from './text-builder.ts';

/** Marks beyond this many start a new chunk, so pathological mark runs cannot make NFKC super-linear. */
const MAX_CHUNK_UNITS = 64;
/** Astral single-code-point cache size; cleared when it grows past this, to bound memory. */
const MAX_ASTRAL_CACHE = 16_384;

/** Result of the character-level canonicalisation. */
export interface NormalizedText {
  text: string;
  hidden: HiddenRun[];
  toOriginal: SpanMapper;
}

/**
 * Memoised single-code-point results. BMP code points index `bmpSlot`: 0 = not yet computed,
 * 1 = canonicalises to itself, n >= 2 = bmpResults[n - 2]. Astral ones use a bounded Map.
 */
const bmpSlot = new Int32Array(0x10000);
const bmpResults: string[] = [];
const astralCache = new Map<number, string | null>();

let markBits: Uint8Array | undefined;

/** Lazily built bitmap of BMP code points that extend the preceding character (combining marks and friends). */
function bmpMarks(): Uint8Array {
  if (markBits !== undefined) return markBits;
  const bits = new Uint8Array(0x10000);
  const mark = /\p{M}/u;
  for (let cp = 0x300; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (mark.test(String.fromCharCode(cp))) bits[cp] = 1;
  }
  // Hangul medial/final jamo compose with the preceding syllable; halfwidth kana voicing marks compose too.
  for (let cp = 0x1161; cp <= 0x11ff; cp++) bits[cp] = 1;
  bits[0xff9e] = 1;
  bits[0xff9f] = 1;
  markBits = bits;
  return bits;
}

const ASTRAL_MARK = /\p{M}/u;

/** True when `cp` attaches to the preceding character for normalisation purposes. */
function extendsPrevious(cp: number): boolean {
  if (cp < 0x10000) return bmpMarks()[cp] === 1;
  return ASTRAL_MARK.test(String.fromCodePoint(cp));
}

/** NFKC then homoglyph folding of one chunk; a lookalike listed in the table wins over its NFKC form. */
function canonicalChunk(chunk: string): string {
  const first = chunk.codePointAt(0)!;
  const direct = confusableFor(first);
  if (direct !== undefined && chunk.length === (first > 0xffff ? 2 : 1)) return direct;
  return foldConfusables(chunk.normalize('NFKC'));
}

/** Canonical form of one lone code point, uncached; null when unchanged. */
function computeCodePoint(cp: number): string | null {
  // Lone surrogates are kept as they are: normalising them is meaningless.
  if (cp >= 0xd800 && cp <= 0xdfff) return null;
  const ch = String.fromCodePoint(cp);
  const result = canonicalChunk(ch);
  return result === ch ? null : result;
}

/** Canonical form of one lone code point, memoised; null when unchanged. */
function canonicalCodePoint(cp: number): string | null {
  if (cp < 0x10000) {
    const slot = bmpSlot[cp]!;
    if (slot === 1) return null;
    if (slot >= 2) return bmpResults[slot - 2]!;
    const result = computeCodePoint(cp);
    if (result === null) {
      bmpSlot[cp] = 1;
    } else {
      bmpResults.push(result);
      bmpSlot[cp] = bmpResults.length + 1;
    }
    return result;
  }
  const cached = astralCache.get(cp);
  if (cached !== undefined) return cached;
  const result = computeCodePoint(cp);
  if (astralCache.size >= MAX_ASTRAL_CACHE) astralCache.clear();
  astralCache.set(cp, result);
  return result;
}

/** Canonicalises `original` character by character, recording hidden runs and the offset map. */
export function normalizeText(original: string): NormalizedText {
  const len = original.length;
  const out = new TextBuilder(len + 16);
  const map = new OffsetMapBuilder();
  const hidden = new HiddenRunCollector();
  // Start of the current stretch whose canonical units map one to one onto the original
  // (unchanged characters and single-unit swaps such as Cyrillic 'о' -> 'o').
  let mapFrom = 0;

  let i = 0;
  while (i < len) {
    const c = original.charCodeAt(i);
    if (c < 0x80 && (i + 1 >= len || original.charCodeAt(i + 1) < 0x300)) {
      out.push(c);
      i++;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) out.markLoneSurrogate();
    const kind = hiddenKindOf(cp);
    if (kind !== undefined) {
      map.copy(mapFrom, i - mapFrom);
      hidden.add(kind, cp, i, width);
      i += width;
      mapFrom = i;
      continue;
    }
    // Gather the combining marks that follow, stopping at hidden characters and at the chunk cap.
    let j = i + width;
    while (j < len && j - i < MAX_CHUNK_UNITS) {
      if (original.charCodeAt(j) < 0x300) break;
      const next = original.codePointAt(j)!;
      if (hiddenKindOf(next) !== undefined || !extendsPrevious(next)) break;
      j += next > 0xffff ? 2 : 1;
    }
    let replacement: string | null;
    if (j === i + width) {
      replacement = canonicalCodePoint(cp);
    } else {
      const chunk = original.slice(i, j);
      const result = canonicalChunk(chunk);
      replacement = result === chunk ? null : result;
    }
    if (replacement === null) {
      out.appendSlice(original, i, j);
    } else if (j - i === 1 && replacement.length === 1) {
      out.push(replacement.charCodeAt(0));
    } else {
      map.copy(mapFrom, i - mapFrom);
      out.append(replacement);
      map.replace(i, j, replacement.length);
      mapFrom = j;
    }
    i = j;
  }
  map.copy(mapFrom, len - mapFrom);

  return { text: out.toString(), hidden: hidden.finish(), toOriginal: map.build(len) };
}
