/**
 * pieceCues (piece-cues.ts) over the spans of segments.ts, as a stream (piece-scan.ts feeds it while
 * it reads a document once): the same cues without a string per piece or per word. Letter runs are
 * read off the lowercased document inside each part (a part is bounded by whitespace or a break, so
 * its runs are the piece's runs), words are hashed as they are read, lexicon membership is an exact
 * comparison after a hash probe (or kept per word in the word cache), and novelty counts use
 * per-document ids. piece-features.test.ts checks spanCueFlags against pieceCues.
 */
import type { PieceSpans } from './segments.ts';
import { LONGEST, type WordBuckets } from './word-buckets.ts';
import { CUE_ASK, CUE_FRESH, CUE_NOVEL, CUE_REPLY, CUE_TASK, IMPERATIVES, QUESTION_WORDS, REPLY_REFERENCE, STOP, TASK_WORDS } from './piece-cues.ts';

/** Lexicon bits: IMPERATIVES, QUESTION_WORDS, TASK_WORDS, STOP. */
const IN_IMPERATIVES = 1;
const IN_QUESTIONS = 2;
const IN_TASKS = 4;
const IN_STOP = 8;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The lexicon words in an open-addressed table (slot: entry + 1) keyed by their FNV hash. */
const LEXICON_MASK = (1 << 11) - 1;
const lexiconSlots = new Int16Array(LEXICON_MASK + 1);
const lexiconWords: string[] = [];
const lexiconHashes: number[] = [];
const lexiconBits: number[] = [];
/**
 * The lexicon bits of '' (what a piece without letters opens with); the longest task word and stop word
 * (longer runs need no lookup for those). Fields of a constant object: hot loops read them without the
 * checks a module-level `let` costs.
 */
const limits = { emptyBits: 0, longestTask: 0, longestStop: 0 };
{
  const bits = new Map<string, number>();
  const lists: [ReadonlySet<string>, number][] = [[IMPERATIVES, IN_IMPERATIVES], [QUESTION_WORDS, IN_QUESTIONS], [TASK_WORDS, IN_TASKS], [STOP, IN_STOP]];
  for (const [set, bit] of lists) for (const word of set) bits.set(word, (bits.get(word) ?? 0) | bit);
  for (const [word, bit] of bits) {
    // Runs of lowercased ASCII letters are all the span path looks up; anything else would need the string path.
    if (!/^[a-z]*$/.test(word)) throw new Error(`piece-cues: lexicon word ${JSON.stringify(word)} is not lowercase ASCII letters`);
    if (word === '') {
      limits.emptyBits = bit;
      continue;
    }
    let h = FNV_OFFSET | 0;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
    let slot = h & LEXICON_MASK;
    while (lexiconSlots[slot] !== 0) slot = (slot + 1) & LEXICON_MASK;
    lexiconSlots[slot] = lexiconWords.length + 1;
    lexiconWords.push(word);
    lexiconHashes.push(h);
    lexiconBits.push(bit);
    if ((bit & IN_TASKS) !== 0) limits.longestTask = Math.max(limits.longestTask, word.length);
    if ((bit & IN_STOP) !== 0) limits.longestStop = Math.max(limits.longestStop, word.length);
  }
}

/** Lexicon bits of the ASCII run `lowered[start, start + length)` hashed `h`. */
function lexicon(lowered: string, start: number, length: number, h: number): number {
  for (let slot = h & LEXICON_MASK; ; slot = (slot + 1) & LEXICON_MASK) {
    const entry = lexiconSlots[slot]! - 1;
    if (entry < 0) return 0;
    const word = lexiconWords[entry]!;
    if (lexiconHashes[entry] !== h || word.length !== length) continue;
    let same = true;
    for (let j = 0; j < length && same; j++) same = word.charCodeAt(j) === lowered.charCodeAt(start + j);
    if (same) return lexiconBits[entry]!;
  }
}

/** Lexicon bits of the word `codes[1, size]` hashed `h` (word-buckets.ts keeps them per cached word; 0 unless lowercase ASCII). */
export function lexiconOfCodes(codes: Uint16Array, size: number, h: number): number {
  for (let slot = h & LEXICON_MASK; ; slot = (slot + 1) & LEXICON_MASK) {
    const entry = lexiconSlots[slot]! - 1;
    if (entry < 0) return 0;
    const word = lexiconWords[entry]!;
    if (lexiconHashes[entry] !== h || word.length !== size) continue;
    let same = true;
    for (let j = 0; j < size && same; j++) same = word.charCodeAt(j) === codes[j + 1];
    if (same) return lexiconBits[entry]!;
  }
}

/** \p{L} per BMP code unit, built on first use (only non-ASCII text needs it). */
let bmpLetters: Uint8Array | null = null;
const LETTER = /\p{L}/gu;
const ONE_LETTER = /^\p{L}$/u;

function letterTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const units = new Uint16Array(0x10000);
  // Surrogates stay spaces: alone they are not letters, and pairs are judged as code points.
  for (let c = 0; c < 0x10000; c++) units[c] = c >= 0xd800 && c <= 0xdfff ? 32 : c;
  let all = '';
  for (let c = 0; c < 0x10000; c += 4096) all += String.fromCharCode(...units.subarray(c, c + 4096));
  LETTER.lastIndex = 0;
  for (let m = LETTER.exec(all); m !== null; m = LETTER.exec(all)) table[m.index] = 1;
  return table;
}

/** How many units of `lowered` at `i` (< end) form a letter as /[\p{L}]+/u reads it: 0, 1, or 2 (an astral letter). */
function letterUnits(lowered: string, i: number, end: number, code: number): number {
  if (code < 128) return code >= 97 && code <= 122 ? 1 : 0;
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < end) {
    const low = lowered.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return ONE_LETTER.test(lowered.slice(i, i + 2)) ? 2 : 0;
  }
  return (bmpLetters ??= letterTable())[code]!;
}

/**
 * The cue stream's state (one document at a time), as fields of one constant object: per-document
 * content-word ids in an open-addressed table over (hash, start, length) of the lowered text, each
 * piece's distinct content-word ids (`owned[ownedFrom[p], ownedFrom[p + 1])`), and the piece being read.
 */
class CueState {
  internSlots = new Int32Array(256);
  /** Whether internSlots is clear for this document (see beginCues). */
  tableClear = false;
  idHash = new Int32Array(64);
  idStart = new Int32Array(64);
  idLength = new Int32Array(64);
  idPieces = new Int32Array(64);
  idLastPiece = new Int32Array(64);
  ids = 0;
  owned = new Int32Array(64);
  ownedFrom = new Int32Array(65);
  /** Table size of the document (a power of two), and whether novelty is judged (three pieces or more). */
  tableSize = 64;
  novelty = false;
  ownedCount = 0;
  /** The piece being read: its lexicon bits of the opening run (-1 before it), ask and task so far, ends with `?`. */
  opening = -1;
  ask = false;
  task = false;
  question = false;
  piece = 0;
  /** Content words by word-cache entry (cueEntry): the document that last met each, its piece count and last piece. */
  entryDocument = new Float64Array(0);
  entryPieces = new Int32Array(0);
  entryLastPiece = new Int32Array(0);
  document = 0;
  /** The document's word cache, or null: every run then goes through the table above. */
  words: WordBuckets | null = null;
}
const state = new CueState();
/** Entry ids in `owned` are offset by this (table ids stay below it). */
const ENTRY_ID = 1 << 30;
/** A letter run's codes at [1, length] (to look it up in the word cache). */
const runCodes = new Uint16Array(LONGEST + 2);

function intern(lowered: string, start: number, length: number, h: number, mask: number): number {
  if (!state.tableClear) {
    state.internSlots.fill(0, 0, mask + 1);
    state.tableClear = true;
  }
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const entry = state.internSlots[slot]! - 1;
    if (entry < 0) {
      state.internSlots[slot] = state.ids + 1;
      state.idHash[state.ids] = h;
      state.idStart[state.ids] = start;
      state.idLength[state.ids] = length;
      state.idPieces[state.ids] = 0;
      state.idLastPiece[state.ids] = -1;
      return state.ids++;
    }
    if (state.idHash[entry] !== h || state.idLength[entry] !== length) continue;
    const other = state.idStart[entry]!;
    let same = true;
    for (let j = 0; j < length && same; j++) same = lowered.charCodeAt(other + j) === lowered.charCodeAt(start + j);
    if (same) return entry;
  }
}

/** The reply-reference pattern, sticky: tried where the document reads `your` (finishCues). */
const REPLY_REFERENCES = new RegExp(REPLY_REFERENCE.source, 'iy');

/*
 * The cue scan as a stream, so piece-scan.ts can feed it the letter runs it meets while hashing words:
 * beginCues once per document, then per piece beginPieceCues, its letter runs in text order (cueRun for
 * a run already hashed, cueRunsIn for a span to search), endPieceCues; finishCues adds novelty and
 * reply references. spanCueFlags is the same stream over every part.
 */
/** Starts a document of `count` pieces over `lowered` (text.toLowerCase(), lowercased unit by unit). */
export function beginCues(lowered: string, count: number, words: WordBuckets | null = null): void {
  state.words = words;
  state.document++;
  if (words && state.entryPieces.length < words.capacity) {
    state.entryDocument = new Float64Array(words.capacity);
    state.entryPieces = new Int32Array(words.capacity);
    state.entryLastPiece = new Int32Array(words.capacity);
  }
  // At most one content word per 5 units (4 letters and a separator), so the table stays under half full.
  let size = 64;
  while (size < (lowered.length >> 1) + 16) size *= 2;
  if (state.internSlots.length < size) state.internSlots = new Int32Array(size);
  // Cleared on first use: with the word cache, only runs longer than it keeps use the table.
  state.tableClear = false;
  state.tableSize = size;
  const runs = (lowered.length >> 1) + 2;
  if (state.idHash.length < runs) {
    state.idHash = new Int32Array(runs);
    state.idStart = new Int32Array(runs);
    state.idLength = new Int32Array(runs);
    state.idPieces = new Int32Array(runs);
    state.idLastPiece = new Int32Array(runs);
    state.owned = new Int32Array(runs);
  }
  if (state.ownedFrom.length < count + 1) state.ownedFrom = new Int32Array(count + 1);
  state.ids = 0;
  state.ownedCount = 0;
  state.novelty = count >= 3;
}

/** Starts piece `p`; `endsWithQuestion`: its last unit is `?`. */
export function beginPieceCues(p: number, endsWithQuestion: boolean): void {
  state.ownedFrom[p] = state.ownedCount;
  state.piece = p;
  state.opening = -1;
  state.ask = false;
  state.task = false;
  state.question = endsWithQuestion;
}

/** The piece's next letter run: `lowered[start, start + length)`, FNV-hashed `h`, all ASCII or not. */
export function cueRun(lowered: string, start: number, length: number, h: number, ascii: boolean): void {
  const words = state.words;
  if (words !== null && length <= LONGEST) {
    for (let j = 0; j < length; j++) runCodes[j + 1] = lowered.charCodeAt(start + j);
    const entry = words.entry(runCodes, length, h);
    cueEntry(entry, length, words.lexicon[entry]!);
    return;
  }
  // The lexicon is consulted only where its answer is used: the opening word, task words of an ask, stop words among content words.
  const needed = state.opening < 0 || (state.ask && length <= limits.longestTask) || (state.novelty && length >= 4 && length <= limits.longestStop);
  const bits = ascii && needed ? lexicon(lowered, start, length, h) : 0;
  if (state.opening < 0) {
    state.opening = bits;
    state.ask = (state.opening & IN_IMPERATIVES) !== 0 || ((state.opening & IN_QUESTIONS) !== 0 && state.question);
  }
  if ((bits & IN_TASKS) !== 0) state.task = true;
  if (!state.novelty || length < 4 || (bits & IN_STOP) !== 0) return;
  const id = intern(lowered, start, length, h, state.tableSize - 1);
  if (state.idLastPiece[id] === state.piece) return;
  state.idLastPiece[id] = state.piece;
  state.idPieces[id]!++;
  state.owned[state.ownedCount++] = id;
}

/**
 * The piece's next letter run, a word of the document's word cache (beginCues): entry `entry`, `length`
 * units, lexicon bits `lexicon` (the entry names the word, so no table lookup is needed).
 */
export function cueEntry(entry: number, length: number, lexicon: number): void {
  const needed = state.opening < 0 || (state.ask && length <= limits.longestTask) || (state.novelty && length >= 4 && length <= limits.longestStop);
  const bits = needed ? lexicon : 0;
  if (state.opening < 0) {
    state.opening = bits;
    state.ask = (state.opening & IN_IMPERATIVES) !== 0 || ((state.opening & IN_QUESTIONS) !== 0 && state.question);
  }
  if ((bits & IN_TASKS) !== 0) state.task = true;
  if (!state.novelty || length < 4 || (bits & IN_STOP) !== 0) return;
  if (state.entryDocument[entry] !== state.document) {
    state.entryDocument[entry] = state.document;
    state.entryPieces[entry] = 0;
    state.entryLastPiece[entry] = -1;
  }
  if (state.entryLastPiece[entry] === state.piece) return;
  state.entryLastPiece[entry] = state.piece;
  state.entryPieces[entry]!++;
  state.owned[state.ownedCount++] = ENTRY_ID + entry;
}

/** The letter runs (as /[\p{L}]+/u finds them) of `lowered[start, end)`, fed to cueRun; a run never crosses `end`. */
export function cueRunsIn(lowered: string, start: number, end: number): void {
  let i = start;
  while (i < end) {
    let code = lowered.charCodeAt(i);
    let units = letterUnits(lowered, i, end, code);
    if (units === 0) {
      i++;
      continue;
    }
    const from = i;
    let ascii = true;
    let h = FNV_OFFSET | 0;
    // One letter run, hashed as it is read.
    do {
      if (code >= 128) ascii = false;
      h = Math.imul(h ^ code, FNV_PRIME);
      if (units === 2) h = Math.imul(h ^ lowered.charCodeAt(i + 1), FNV_PRIME);
      i += units;
      if (i >= end) break;
      code = lowered.charCodeAt(i);
      units = letterUnits(lowered, i, end, code);
    } while (units !== 0);
    cueRun(lowered, from, i - from, h, ascii);
  }
}

/** Ends the piece: its ask and task flags (CUE_ASK, CUE_TASK), which finishCues keeps. */
export function endPieceCues(): number {
  if (state.opening < 0) state.ask = (limits.emptyBits & IN_IMPERATIVES) !== 0 || ((limits.emptyBits & IN_QUESTIONS) !== 0 && state.question);
  return state.ask ? (state.task ? CUE_ASK | CUE_TASK : CUE_ASK) : 0;
}

/**
 * Adds novelty and reply references to `out[0, spans.count)`, which holds each piece's endPieceCues flags
 * (`lowered` as beginCues had it).
 */
export function finishCues(text: string, lowered: string, spans: PieceSpans, out: Uint8Array): void {
  const count = spans.count;
  const { first, starts, ends } = spans;
  state.ownedFrom[count] = state.ownedCount;
  if (state.novelty) {
    for (let p = 0; p < count; p++) {
      const own = state.ownedFrom[p + 1]! - state.ownedFrom[p]!;
      if (own < 2) continue;
      let shared = 0;
      for (let j = state.ownedFrom[p]!; j < state.ownedFrom[p + 1]!; j++) {
        const id = state.owned[j]!;
        if ((id >= ENTRY_ID ? state.entryPieces[id - ENTRY_ID]! : state.idPieces[id]!) > 1) shared++;
      }
      const share = shared / own;
      out[p] = out[p]! | (share < 0.2 ? CUE_NOVEL : share < 0.4 ? CUE_FRESH : 0);
    }
  }
  // A match counts for the piece whose span holds it (joins are whitespace, matched by \s+ either way). Every
  // match starts where the lowercased text reads `your` (no other unit lowercases to those letters, and /i
  // without /u folds ASCII only), and none holds another `your`, so the pattern is tried (sticky) at each one
  // in turn: the matches a search from the start would find.
  let p = 0;
  for (let start = lowered.indexOf('your'); start >= 0; start = lowered.indexOf('your', start + 4)) {
    REPLY_REFERENCES.lastIndex = start;
    if (!REPLY_REFERENCES.test(text)) continue;
    while (p < count && ends[first[p + 1]! - 1]! <= start) p++;
    if (p < count && starts[first[p]!]! <= start && REPLY_REFERENCES.lastIndex <= ends[first[p + 1]! - 1]!) out[p] = out[p]! | CUE_REPLY;
  }
}

/** True when piece `p` of `spans` over `text` ends with `?` (an opening question word then makes an ask). */
export function endsWithQuestion(text: string, spans: PieceSpans, p: number): boolean {
  return text.charCodeAt(spans.ends[spans.first[p + 1]! - 1]! - 1) === 63;
}

/**
 * pieceCues(segmentsOf(text)) as CUE_* flags in `out[0, spans.count)`. `lowered` is text.toLowerCase()
 * with every unit lowercased alone (same length, no context-dependent mapping: the caller checks).
 */
export function spanCueFlags(text: string, lowered: string, spans: PieceSpans, out: Uint8Array): void {
  const { first, starts, ends, count } = spans;
  beginCues(lowered, count);
  for (let p = 0; p < count; p++) {
    beginPieceCues(p, endsWithQuestion(text, spans, p));
    for (let k = first[p]!; k < first[p + 1]!; k++) cueRunsIn(lowered, starts[k]!, ends[k]!);
    out[p] = endPieceCues();
  }
  finishCues(text, lowered, spans, out);
}
