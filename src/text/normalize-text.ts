/**
 * Builds the canonical text: hidden characters removed (and reported), then NFKC and homoglyph
 * folding applied chunk by chunk (a base code point plus its combining marks), so that every
 * canonical code unit keeps a link to the original span it came from.
 */
import type { HiddenRun } from './types.ts';
import { confusableFor, foldConfusables } from './confusables.ts';
import { HiddenRunCollector, hiddenKindOf } from './hidden-characters.ts';
import { identityMapper, OffsetMapBuilder, type SpanMapper } from './offset-map.ts';
import { TextBuilder } from './text-builder.ts';

/** Marks beyond this many start a new chunk, so pathological mark runs cannot make NFKC super-linear. */
const MAX_CHUNK_UNITS = 64;
/** Astral single-code-point cache size; cleared when it grows past this, to bound memory. */
const MAX_ASTRAL_CACHE = 16_384;

/** The next non-ASCII code unit from lastIndex on (set before each use). */
const NON_ASCII_AFTER = /[^\x00-\x7f]/g;
/** ASCII units read one by one before the regex takes over (see normalizeText). */
const ASCII_PEEK = 16;

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

/**
 * Per code unit, what the main loop of normalizeText needs to know to pass it by (0: not yet computed).
 * UNIT_PLAIN: a BMP character that is not hidden and that canonicalises to itself when alone (no mark
 * after it): kept as it is. UNIT_MAY_EXTEND: a unit that may join the chunk before it (a combining mark,
 * or a surrogate, which may start an astral mark). Text in another script (CJK, Cyrillic, Arabic) is
 * mostly plain characters with no mark after them, which the loop then passes with two table loads
 * instead of a code-point read, the hidden-character ranges, a mark test and the cache.
 */
const UNIT_KNOWN = 1;
const UNIT_PLAIN = 2;
const UNIT_MAY_EXTEND = 4;
const unitFlags = new Uint8Array(0x10000);
// ASCII is never hidden, never a mark and never rewritten.
unitFlags.fill(UNIT_KNOWN | UNIT_PLAIN, 0, 0x80);

/** Computes and records the flags of a code unit above ASCII (kept out of the loop: runs once per unit). */
function unitFlagsOf(unit: number): number {
  let flags = UNIT_KNOWN;
  if (unit >= 0xd800 && unit <= 0xdfff) {
    flags |= UNIT_MAY_EXTEND;
  } else {
    if (bmpMarks()[unit] === 1) flags |= UNIT_MAY_EXTEND;
    if (hiddenKindOf(unit) === undefined && canonicalCodePoint(unit) === null) flags |= UNIT_PLAIN;
  }
  unitFlags[unit] = flags;
  return flags;
}

/**
 * The canonical text under construction: nothing is copied until the first change (a removal or
 * replacement), then the kept characters before it in one stretch, and so on. A class rather than
 * a closure per call (the tsx loader wraps named closures in a `__name` call).
 */
class LazyCanonical {
  out: TextBuilder | undefined;
  map: OffsetMapBuilder | undefined;
  /** Start of the kept characters not yet copied into `out`. */
  keptFrom = 0;
  loneSurrogate = false;

  constructor(private readonly original: string) {}

  /** Records a lone surrogate (TextBuilder must take its exact slow path). */
  markLoneSurrogate(): void {
    this.loneSurrogate = true;
    this.out?.markLoneSurrogate();
  }

  /** Copies the kept characters before `at` into `out` (created, with the map, at the first change). */
  flush(at: number): TextBuilder {
    let out = this.out;
    if (out === undefined) {
      out = this.out = new TextBuilder(this.original.length + 16);
      this.map = new OffsetMapBuilder();
      if (this.loneSurrogate) out.markLoneSurrogate();
    }
    out.appendSlice(this.original, this.keptFrom, at);
    return out;
  }
}

/**
 * Canonicalises `original` character by character, recording hidden runs and the offset map.
 * Characters kept as they are are not copied one by one: a stretch of them is copied when the next
 * change comes, and text that nothing changes (accented or non-Latin prose, emoji) is returned as
 * the original string itself, never copied at all.
 */
export function normalizeText(original: string): NormalizedText {
  const len = original.length;
  const built = new LazyCanonical(original);
  const hidden = new HiddenRunCollector();
  // Start of the current stretch whose canonical units map one to one onto the original
  // (unchanged characters and single-unit swaps such as Cyrillic 'о' -> 'o').
  let mapFrom = 0;

  const flagsOf = unitFlags;
  let i = 0;
  while (i < len) {
    const c = original.charCodeAt(i);
    const next = i + 1 < len ? original.charCodeAt(i + 1) : 0;
    if (c < 0x80 && next < 0x80 && i + 1 < len) {
      // A stretch of ASCII: every unit before the next non-ASCII one is kept, except one a combining mark
      // follows. A short stretch ends within a few units (text in another script has many, between its
      // words); past ASCII_PEEK units the regex engine finds its end several times faster than this loop.
      let end = i + 2;
      const peekEnd = Math.min(len, i + ASCII_PEEK);
      while (end < peekEnd && original.charCodeAt(end) < 0x80) end++;
      if (end === peekEnd && end < len) {
        NON_ASCII_AFTER.lastIndex = end;
        end = NON_ASCII_AFTER.test(original) ? NON_ASCII_AFTER.lastIndex - 1 : len;
      }
      if (end < len && original.charCodeAt(end) >= 0x300) end--;
      i = end;
      continue;
    }
    // A character kept as it is (ASCII, or plain: see unitFlags) with no mark after it: copied later with
    // its stretch. Plain characters in a row are passed in one go, each unit's flags read once.
    let flags = flagsOf[c]!;
    if (flags === 0) flags = unitFlagsOf(c);
    if ((flags & UNIT_PLAIN) !== 0) {
      let k = i + 1;
      let unit = next;
      for (;;) {
        let unitFlags = flagsOf[unit]!;
        if (unitFlags === 0) unitFlags = unitFlagsOf(unit);
        // A mark may follow the unit before: that one takes the full path below.
        if ((unitFlags & UNIT_MAY_EXTEND) !== 0) break;
        // Past the end, or at a unit that is not plain or is ASCII: the outer loop takes it from here.
        if (k >= len || (unitFlags & UNIT_PLAIN) === 0 || unit < 0x80) break;
        k++;
        unit = k < len ? original.charCodeAt(k) : 0;
      }
      if (k >= len || (flagsOf[unit]! & UNIT_MAY_EXTEND) === 0) {
        i = k;
        continue;
      }
      i = k - 1;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) built.markLoneSurrogate();
    const kind = hiddenKindOf(cp);
    if (kind !== undefined) {
      built.flush(i);
      built.map!.copy(mapFrom, i - mapFrom);
      hidden.add(kind, cp, i, width);
      i += width;
      mapFrom = i;
      built.keptFrom = i;
      continue;
    }
    // Gather the combining marks that follow, stopping at hidden characters and at the chunk cap.
    let j = i + width;
    while (j < len && j - i < MAX_CHUNK_UNITS) {
      const unit = original.charCodeAt(j);
      if (unit < 0x300) break;
      let joinFlags = flagsOf[unit]!;
      if (joinFlags === 0) joinFlags = unitFlagsOf(unit);
      if ((joinFlags & UNIT_MAY_EXTEND) === 0) break;
      const mark = original.codePointAt(j)!;
      if (hiddenKindOf(mark) !== undefined || !extendsPrevious(mark)) break;
      j += mark > 0xffff ? 2 : 1;
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
      // Kept: copied later with its stretch.
    } else if (j - i === 1 && replacement.length === 1) {
      built.flush(i).push(replacement.charCodeAt(0));
      built.keptFrom = j;
    } else {
      const out = built.flush(i);
      built.map!.copy(mapFrom, i - mapFrom);
      out.append(replacement);
      built.map!.replace(i, j, replacement.length);
      mapFrom = j;
      built.keptFrom = j;
    }
    i = j;
  }
  const map = built.map;
  // Nothing changed: the text maps onto itself (a one-segment map would give the same spans).
  if (map === undefined) return { text: original, hidden: hidden.finish(), toOriginal: identityMapper(len) };
  map.copy(mapFrom, len - mapFrom);
  return { text: built.flush(len).toString(), hidden: hidden.finish(), toOriginal: map.build(len) };
}
