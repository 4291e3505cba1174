/**
 * Cue tokens for document pieces (segments.ts): what an injected instruction looks like relative to
 * the document around it, independent of the attack's wording.
 * - `qqask`: the piece opens with an imperative verb or a question word and is addressed to the reader;
 * - `qqnovel` / `qqfresh`: few of its content words occur anywhere else in the document (an unrelated
 *   request dropped into an email or a table: "What are the primary functions of the liver?");
 * - `qqnovelask`: both, the cross the linear piece model cannot form on its own;
 * - `qqreplyref`: it talks about the reader's reply, answer or summary (instructions about the output);
 * - `qqtaskask` / `qqtasknovelask`: an ask that names a typical assistant deliverable or quiz topic
 *   (essay, poem, translation, recipe, capital, ...), which requests between people rarely do.
 * Novelty needs context, so it is only judged in documents of three pieces or more. Linear time.
 */

import type { PieceSpans } from './segments.ts';

const IMPERATIVES = new Set(
  `write compose draft create generate produce develop design provide give list name describe explain summarize summarise translate
  tell share send include add insert append mention integrate incorporate modify change rewrite rephrase replace recommend suggest promote
  make build prepare compile outline offer show print output reply respond answer say state display start begin end finish conclude
  ignore disregard forget remember note ensure emphasize emphasise highlight stress encourage urge remind advise visit click download
  install run execute open call contact find search look calculate compute solve convert spell count reverse encode decode teach
  augment enhance enrich expand extend supplement embed weave attach inject close discuss argue persuade convince`.split(/\s+/),
);
/** Deliverables and quiz topics of requests made to an assistant (not to a colleague). */
const TASK_WORDS = new Set(
  `essay essays poem poems poetry story stories speech haiku limerick song lyrics joke jokes riddle riddles summary introduction paragraph
  paragraphs article blog tweet slogan tagline headline translation translate translated synonym synonyms antonym definition define recipe
  capital population formula equation theorem proof algorithm function script program quiz trivia fact facts meaning word words sentence
  sentences language french spanish german italian chinese japanese russian english history theory planet planets invented invent wrote
  author novel play causes benefits importance tips advice explain describe`.split(/\s+/),
);
const QUESTION_WORDS = new Set('what who whom whose which when where why how can could would will is are do does did should may might'.split(' '));
const STOP = new Set(
  `this that with from have will your their there about which would could should these those them they were been being into than then
  what when where while also more most some such only other over just like very much many here after before because please thanks thank
  regards dear best hello`.split(/\s+/),
);

/** The piece talks about the reader's own output ("augment your reply with ...", "your answer should ..."). */
const REPLY_REFERENCE = /\byour\s+(?:reply|replies|response|responses|answer|answers|output|summary|summaries)\b/i;

function wordsOf(piece: string): string[] {
  return piece.toLowerCase().match(/[\p{L}]+/gu) ?? [];
}

function contentWords(words: readonly string[]): string[] {
  return words.filter((word) => word.length >= 4 && !STOP.has(word));
}

/** isAsk given the piece's first word (pieceCues has its words already). */
function opensAsk(piece: string, first: string): boolean {
  return IMPERATIVES.has(first) || (QUESTION_WORDS.has(first) && piece.trimEnd().endsWith('?'));
}

/** True when the piece opens with an imperative verb, or with a question word and ends with `?`. */
export function isAsk(piece: string): boolean {
  return opensAsk(piece, wordsOf(piece)[0] ?? '');
}

/** One cue string per piece ('' when none apply). */
export function pieceCues(pieces: readonly string[]): string[] {
  const words = pieces.map(wordsOf);
  const content = words.map(contentWords);
  const counts = new Map<string, number>();
  for (const list of content) for (const word of new Set(list)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return pieces.map((_, index) => {
    const ask = opensAsk(pieces[index]!, words[index]![0] ?? '');
    let novelty = '';
    const own = [...new Set(content[index])];
    if (pieces.length >= 3 && own.length >= 2) {
      let shared = 0;
      for (const word of own) if ((counts.get(word) ?? 0) > 1) shared++;
      const share = shared / own.length;
      novelty = share < 0.2 ? 'qqnovel' : share < 0.4 ? 'qqfresh' : '';
    }
    const reply = REPLY_REFERENCE.test(pieces[index]!) ? 'qqreplyref' : '';
    const task = ask && words[index]!.some((word) => TASK_WORDS.has(word));
    const taskCues = task ? (novelty === 'qqnovel' ? 'qqtaskask qqtasknovelask' : 'qqtaskask') : '';
    return [ask ? 'qqask' : '', novelty, ask && novelty === 'qqnovel' ? 'qqnovelask' : '', reply, taskCues].filter((cue) => cue !== '').join(' ');
  });
}

/** Cue flags of one piece (spanCueFlags); the tokens they stand for are cueTokens(flags). */
export const CUE_ASK = 1;
export const CUE_NOVEL = 2;
export const CUE_FRESH = 4;
export const CUE_REPLY = 8;
/** An ask naming a task word (set only with CUE_ASK). */
export const CUE_TASK = 16;

/** The cue tokens `flags` stands for, in pieceCues' order. */
export function cueTokens(flags: number): string[] {
  const ask = (flags & CUE_ASK) !== 0;
  const novel = (flags & CUE_NOVEL) !== 0;
  const out: string[] = [];
  if (ask) out.push('qqask');
  if (novel) out.push('qqnovel');
  if (flags & CUE_FRESH) out.push('qqfresh');
  if (ask && novel) out.push('qqnovelask');
  if (flags & CUE_REPLY) out.push('qqreplyref');
  if (ask && flags & CUE_TASK) out.push(...(novel ? ['qqtaskask', 'qqtasknovelask'] : ['qqtaskask']));
  return out;
}

/*
 * pieceCues over the spans of segments.ts (piece-features.ts): the same cues without a string per
 * piece or per word. Letter runs are read off the lowercased document inside each part (a part is
 * bounded by whitespace or a break, so its runs are the piece's runs), words are hashed as they are
 * read, lexicon membership is an exact comparison after a hash probe, and novelty counts use per-document ids.
 */

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
/** The lexicon bits of '' (what a piece without letters opens with). */
let emptyBits = 0;
/** The longest task word and stop word: longer runs need no lookup for those. */
let longestTask = 0;
let longestStop = 0;
{
  const bits = new Map<string, number>();
  const lists: [ReadonlySet<string>, number][] = [[IMPERATIVES, IN_IMPERATIVES], [QUESTION_WORDS, IN_QUESTIONS], [TASK_WORDS, IN_TASKS], [STOP, IN_STOP]];
  for (const [set, bit] of lists) for (const word of set) bits.set(word, (bits.get(word) ?? 0) | bit);
  for (const [word, bit] of bits) {
    // Runs of lowercased ASCII letters are all the span path looks up; anything else would need the string path.
    if (!/^[a-z]*$/.test(word)) throw new Error(`piece-cues: lexicon word ${JSON.stringify(word)} is not lowercase ASCII letters`);
    if (word === '') {
      emptyBits = bit;
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
    if ((bit & IN_TASKS) !== 0) longestTask = Math.max(longestTask, word.length);
    if ((bit & IN_STOP) !== 0) longestStop = Math.max(longestStop, word.length);
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

/** Per-document content-word ids: an open-addressed table over (hash, start, length) of the lowered text. */
let internSlots = new Int32Array(256);
let idHash = new Int32Array(64);
let idStart = new Int32Array(64);
let idLength = new Int32Array(64);
let idPieces = new Int32Array(64);
let idLastPiece = new Int32Array(64);
let ids = 0;
/** Each piece's distinct content-word ids: `owned[ownedFrom[p], ownedFrom[p + 1])`. */
let owned = new Int32Array(64);
let ownedFrom = new Int32Array(65);

function intern(lowered: string, start: number, length: number, h: number, mask: number): number {
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const entry = internSlots[slot]! - 1;
    if (entry < 0) {
      internSlots[slot] = ids + 1;
      idHash[ids] = h;
      idStart[ids] = start;
      idLength[ids] = length;
      idPieces[ids] = 0;
      idLastPiece[ids] = -1;
      return ids++;
    }
    if (idHash[entry] !== h || idLength[entry] !== length) continue;
    const other = idStart[entry]!;
    let same = true;
    for (let j = 0; j < length && same; j++) same = lowered.charCodeAt(other + j) === lowered.charCodeAt(start + j);
    if (same) return entry;
  }
}

/** The reply-reference pattern, global: one pass over the document finds every piece's matches. */
const REPLY_REFERENCES = new RegExp(REPLY_REFERENCE.source, 'gi');

/**
 * pieceCues(segmentsOf(text)) as CUE_* flags in `out[0, spans.count)`. `lowered` is text.toLowerCase()
 * with every unit lowercased alone (same length, no context-dependent mapping: the caller checks).
 */
export function spanCueFlags(text: string, lowered: string, spans: PieceSpans, out: Uint8Array): void {
  const count = spans.count;
  const { first, starts, ends } = spans;
  // At most one content word per 5 units (4 letters and a separator), so the table stays under half full.
  let size = 64;
  while (size < (lowered.length >> 1) + 16) size *= 2;
  if (internSlots.length < size) internSlots = new Int32Array(size);
  else internSlots.fill(0, 0, size);
  const runs = (lowered.length >> 1) + 2;
  if (idHash.length < runs) {
    idHash = new Int32Array(runs);
    idStart = new Int32Array(runs);
    idLength = new Int32Array(runs);
    idPieces = new Int32Array(runs);
    idLastPiece = new Int32Array(runs);
    owned = new Int32Array(runs);
  }
  if (ownedFrom.length < count + 1) ownedFrom = new Int32Array(count + 1);
  ids = 0;
  let ownedCount = 0;
  // Novelty is judged only with three pieces or more: otherwise no content word needs an id.
  const novelty = count >= 3;
  for (let p = 0; p < count; p++) {
    ownedFrom[p] = ownedCount;
    const question = text.charCodeAt(ends[first[p + 1]! - 1]! - 1) === 63;
    let opening = -1;
    let ask = false;
    let task = false;
    for (let k = first[p]!; k < first[p + 1]!; k++) {
      const end = ends[k]!;
      let i = starts[k]!;
      while (i < end) {
        let code = lowered.charCodeAt(i);
        let units = letterUnits(lowered, i, end, code);
        if (units === 0) {
          i++;
          continue;
        }
        const start = i;
        let ascii = true;
        let h = FNV_OFFSET | 0;
        // One letter run, hashed as it is read; a run ends at the part's end at the latest.
        do {
          if (code >= 128) ascii = false;
          h = Math.imul(h ^ code, FNV_PRIME);
          if (units === 2) h = Math.imul(h ^ lowered.charCodeAt(i + 1), FNV_PRIME);
          i += units;
          if (i >= end) break;
          code = lowered.charCodeAt(i);
          units = letterUnits(lowered, i, end, code);
        } while (units !== 0);
        const length = i - start;
        // The lexicon is consulted only where its answer is used: the opening word, task words of an ask, stop words among content words.
        const needed = opening < 0 || (ask && length <= longestTask) || (novelty && length >= 4 && length <= longestStop);
        const bits = ascii && needed ? lexicon(lowered, start, length, h) : 0;
        if (opening < 0) {
          opening = bits;
          ask = (opening & IN_IMPERATIVES) !== 0 || ((opening & IN_QUESTIONS) !== 0 && question);
        }
        if ((bits & IN_TASKS) !== 0) task = true;
        if (!novelty || length < 4 || (bits & IN_STOP) !== 0) continue;
        const id = intern(lowered, start, length, h, size - 1);
        if (idLastPiece[id] === p) continue;
        idLastPiece[id] = p;
        idPieces[id]!++;
        owned[ownedCount++] = id;
      }
    }
    if (opening < 0) ask = (emptyBits & IN_IMPERATIVES) !== 0 || ((emptyBits & IN_QUESTIONS) !== 0 && question);
    out[p] = ask ? (task ? CUE_ASK | CUE_TASK : CUE_ASK) : 0;
  }
  ownedFrom[count] = ownedCount;
  if (novelty) {
    for (let p = 0; p < count; p++) {
      const own = ownedFrom[p + 1]! - ownedFrom[p]!;
      if (own < 2) continue;
      let shared = 0;
      for (let j = ownedFrom[p]!; j < ownedFrom[p + 1]!; j++) if (idPieces[owned[j]!]! > 1) shared++;
      const share = shared / own;
      out[p] = out[p]! | (share < 0.2 ? CUE_NOVEL : share < 0.4 ? CUE_FRESH : 0);
    }
  }
  // A match counts for the piece whose span holds it (joins are whitespace, matched by \s+ either way).
  REPLY_REFERENCES.lastIndex = 0;
  let p = 0;
  for (let m = REPLY_REFERENCES.exec(text); m !== null; m = REPLY_REFERENCES.exec(text)) {
    const start = m.index;
    while (p < count && ends[first[p + 1]! - 1]! <= start) p++;
    if (p < count && starts[first[p]!]! <= start && start + m[0].length <= ends[first[p + 1]! - 1]!) out[p] = out[p]! | CUE_REPLY;
  }
}
