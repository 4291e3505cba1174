/**
 * Which evasion views (views.ts) can return something for a text, found in one pass over its code units
 * that takes no branch per word: on prose, a branch at every word boundary is mispredicted about once a
 * word, which cost more than the views' own tests. The pass runs each line through two table-driven
 * automata and a sum of rot13 gains; ordinary text comes out with no bit set, and then no view runs.
 *
 * Contract of `viewHints`: the spaced-letters and misspelt-verb bits are exactly the gates the views had;
 * the rot13, leetspeak and Pig Latin bits are necessary conditions, set on a few more texts, and views.ts
 * makes the exact tests (rot13View, leetMixed, pigLatinView) only then.
 */
import { codeUnitsOf } from '../../text/code-units.ts';
import { correctedVerb, KEEP, mayBeMisspeltVerb } from './typos.ts';

/** ln of letter frequencies (a-z) shared by English and the major Latin-script languages. */
export const LOG_FREQ = [8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4, 6.7, 7.5, 1.9, 0.095, 6.0, 6.3, 9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.074].map((p) => Math.log(p / 100));
/** Fewest letters on a line before its letter statistics are trusted. */
export const MIN_LETTERS = 16;
/** Mean gain in log-likelihood per letter that rot13 must bring (normal text loses ~1 nat). */
export const MIN_GAIN = 0.35;

/** Leetspeak characters and the letters they stand for. */
export const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/** Bits of `viewHints`. */
export const HINT_ROT13 = 1;
export const HINT_LEET = 2;
export const HINT_PIG_LATIN = 4;
export const HINT_SPACED = 8;
export const HINT_TYPO = 16;

/** a-z index of an ASCII letter's code, else -1. */
export function letterIndex(code: number): number {
  const lower = code | 0x20;
  return lower >= 97 && lower <= 122 ? lower - 97 : -1;
}

// Each automaton reads its own classes of code units. Words: any non-letter, then the ASCII letters told
// apart as far as Pig Latin ("a", "y") and the misspelt-verb test (first, second and last letters, membership
// of each verb's letters) need. Tokens: other, leet, space or tab, CR or LF, letter.
const W_NON_LETTER = 0;
/** Word classes 1 on, each named by the letter that stands for it ('b': any other letter). */
const WORD_LETTERS = 'aydfisegrnotb';
const WORD_CLASSES = 1 + WORD_LETTERS.length;
const T_OTHER = 0;
const T_LEET = 1;
const T_SPACE = 2;
const T_BREAK = 3;
const T_LETTER = 4;
const TOKEN_CLASSES = 5;

/** One step of an automaton's readable definition: the next key and what the step emits. */
interface Step {
  key: number;
  out: number;
}

/**
 * An automaton as one table: a state's id is its row times the number of classes, and `table[id + class]`
 * holds the next state's id in its low 16 bits and what the step emits (-32768 to 32767) in the high 16
 * (one load a step).
 */
interface Automaton {
  start: number;
  table: Int32Array;
  classes: number;
  /** Per row: the key the state was built from. */
  keys: number[];
}

/** Tabulates `step` over every state reachable from `startKey` (a key is any number that names a state). */
function tabulate(startKey: number, classes: number, step: (key: number, cls: number) => Step): Automaton {
  const rows = new Map<number, number>([[startKey, 0]]);
  const keys = [startKey];
  const steps: Step[] = [];
  for (let row = 0; row < keys.length; row++) {
    for (let cls = 0; cls < classes; cls++) {
      const result = step(keys[row]!, cls);
      if (!rows.has(result.key)) {
        rows.set(result.key, keys.length);
        keys.push(result.key);
      }
      steps.push(result);
    }
  }
  if (keys.length * classes > 0xffff) throw new Error('view hints: automaton too large');
  const table = new Int32Array(steps.length);
  steps.forEach((result, index) => {
    if (result.out !== (result.out << 16) >> 16) throw new Error('view hints: output out of range');
    table[index] = (result.out << 16) | (rows.get(result.key)! * classes);
  });
  return { start: 0, table, classes, keys };
}

/** Verbs of typos.ts by number (0: the word cannot be a misspelt verb), with what mayBeMisspeltVerb reads of them. */
const VERB_WORDS = ['', 'ignore', 'disregard', 'forget'];

/** The first letter's verb number. */
function verbOf(letter: string): number {
  return letter === 'i' ? 1 : letter === 'd' ? 2 : letter === 'f' ? 3 : 0;
}

/**
 * Prefixes of the KEEP words (real words correctedVerb leaves alone) that open with d, f or i and whose
 * letters each have a word class of their own: the word automaton follows them so that the verbs
 * themselves ("ignore", "forgot") are not candidates.
 */
const KEEP_PREFIXES: string[] = (() => {
  const prefixes = new Set<string>();
  const ownClasses = new RegExp(`^[dfi][${WORD_LETTERS.slice(0, -1)}]*$`);
  for (const word of KEEP) {
    if (!ownClasses.test(word)) continue;
    for (let end = 1; end <= word.length; end++) prefixes.add(word.slice(0, end));
  }
  if (prefixes.size >= 127) throw new Error('view hints: too many KEEP prefixes');
  return [...prefixes];
})();

/** mayBeMisspeltVerb's verdict on a finished word of `run` letters (see there). */
function mayBeVerb(verb: number, run: number, foreign: number, second: number, last: number): boolean {
  const word = VERB_WORDS[verb]!;
  const gap = Math.abs(run - word.length);
  const twoEdits = word !== 'forget' && run >= 5 && gap <= 2 && second === 1 && last === 1;
  if (gap > 1 && !twoEdits) return false;
  return foreign <= (twoEdits ? 2 : 1);
}

/** Pig Latin score per word: 10 * (10 * pig - 6) + 1, so the sum is above zero when words >= 3 and pig * 10 >= words * 6. */
const PIG_WORD = 41;
const PLAIN_WORD = -59;
/**
 * Leet score per token with letters: (10 * mixed - 1) + 10 * mixed, so the sum, 10 * mixed - lettered +
 * 10 * mixed, is at least LEET_GATE when mixed >= 2 and mixed * 10 >= lettered (leetMixed), and below it
 * whenever mixed < 2.
 */
const MIXED_TOKEN = 19;
const LETTERED_TOKEN = -1;
const LEET_GATE = 20;

/**
 * Words (maximal runs of ASCII letters). The key packs the run length (capped at 3 once the word cannot be
 * a misspelt verb), the verb its first letter names while it still may be one, the letters seen that the
 * verb lacks, whether the second letter and the last one are the verb's, the last letters ("a", "ay") and
 * the KEEP prefix the word spells so far. out, when a word ends: its Pig Latin score times 256, plus 1 when
 * it has 4-11 letters, is not a KEEP word and mayBeMisspeltVerb holds (a candidate for correctedVerb, which
 * returns null for every word left out).
 */
function wordStep(key: number, cls: number): Step {
  let run = key & 15;
  let verb = (key >> 4) & 3;
  let foreign = (key >> 6) & 3;
  let second = (key >> 8) & 1;
  let last = (key >> 9) & 1;
  let suffix = (key >> 10) & 3;
  let kept = (key >> 12) & 127;
  if (cls === W_NON_LETTER) {
    if (run === 0) return { key: 0, out: 0 };
    const pig = run >= 3 && suffix === 2;
    const keep = kept !== 0 && KEEP.has(KEEP_PREFIXES[kept - 1]!);
    const candidate = verb !== 0 && run >= 4 && run <= 11 && !keep && mayBeVerb(verb, run, foreign, second, last);
    return { key: 0, out: (pig ? PIG_WORD : PLAIN_WORD) * 256 + (candidate ? 1 : 0) };
  }
  const letter = WORD_LETTERS[cls - 1]!;
  // The word so far as a prefix of a KEEP word, while it is one ('b' stands for several letters: never).
  const prefix = run === 0 ? letter : kept !== 0 ? KEEP_PREFIXES[kept - 1]! + letter : '';
  kept = KEEP_PREFIXES.indexOf(prefix) + 1;
  if (run === 0) {
    verb = verbOf(letter);
    foreign = 0;
    second = 0;
  } else if (verb !== 0) {
    const word = VERB_WORDS[verb]!;
    if (!word.includes(letter)) foreign++;
    if (run === 1) second = letter === word[1] ? 1 : 0;
  }
  suffix = letter === 'a' ? 1 : letter === 'y' && suffix === 1 ? 2 : 0;
  run++;
  if (verb !== 0) {
    const word = VERB_WORDS[verb]!;
    last = letter === word[word.length - 1] ? 1 : 0;
    // Past two edits, or past one for "forget" (never two), or two letters too long: no longer a candidate.
    if (foreign > (word === 'forget' ? 1 : 2) || run > word.length + 2) verb = 0;
  }
  if (verb === 0) {
    run = Math.min(run, 3);
    foreign = 0;
    second = 0;
    last = 0;
    kept = 0;
  }
  return { key: run | (verb << 4) | (foreign << 6) | (second << 8) | (last << 9) | (suffix << 10) | (kept << 12), out: 0 };
}

/** Bit of a token key: seven spaces or tabs were chained somewhere before (sticky). */
const CHAINED = 1 << 12;

/**
 * Tokens (split at space, tab, CR and LF) and spaces chained two or three units apart. The key packs the
 * distance from the last space or tab to the next unit (4 also stands for "none yet"), the chain length,
 * the token's state (letter seen, leet characters capped at 2, previous unit a letter, leet pending after a
 * letter, leet between letters) and CHAINED. out: the token's leet score when it ends.
 */
function tokenStep(key: number, cls: number): Step {
  let distance = key & 7;
  let chain = (key >> 3) & 7;
  let lettered = (key >> 6) & 1;
  let leet = (key >> 7) & 3;
  let previousLetter = (key >> 9) & 1;
  let pending = (key >> 10) & 1;
  let inside = (key >> 11) & 1;
  let chained = key & CHAINED;
  let out = 0;
  if (cls === T_SPACE) {
    const length = distance === 2 || distance === 3 ? chain + 1 : 1;
    if (length >= 7) chained = CHAINED;
    chain = Math.min(length, 6);
    distance = 1;
  } else {
    distance = Math.min(distance + 1, 4);
  }
  if (cls === T_LETTER) {
    if (pending === 1) inside = 1;
    lettered = 1;
    previousLetter = 1;
    pending = 0;
  } else if (cls === T_SPACE || cls === T_BREAK) {
    if (lettered === 1) out = leet >= 2 || inside === 1 ? MIXED_TOKEN : LETTERED_TOKEN;
    lettered = 0;
    leet = 0;
    inside = 0;
    previousLetter = 0;
    pending = 0;
  } else if (cls === T_LEET) {
    leet = Math.min(leet + 1, 2);
    pending = previousLetter | pending;
    previousLetter = 0;
  } else {
    previousLetter = 0;
    pending = 0;
  }
  return { key: distance | (chain << 3) | (lettered << 6) | (leet << 7) | (previousLetter << 9) | (pending << 10) | (inside << 11) | chained, out };
}

const WORDS = tabulate(0, WORD_CLASSES, wordStep);
const TOKENS = tabulate(4, TOKEN_CLASSES, tokenStep);

/**
 * Per unit, indexed by min(unit, 0x80) (0x80 stands for every non-ASCII unit): the word class in bits 0-3,
 * the token class in bits 4-6 and, above them, rot13's gain on a letter less MIN_GAIN, in 64ths rounded up
 * plus one (a line's sum is then at least 64 times the exact sum plus its letter count, so not negative
 * when looksRot13 holds: the one per letter dwarfs the rounding of its floating-point sum), times 2048,
 * plus 1 for the letter: a block's sum holds its letter count in the low 11 bits (at most 256 letters, and
 * 256 times the largest entry stays far inside 32 bits).
 */
const UNIT_TABLE = new Int32Array(0x81);
for (let k = 0; k <= 0x80; k++) {
  const index = k < 0x80 ? letterIndex(k) : -1;
  const char = String.fromCharCode(k);
  let gain = 0;
  let wordClass = W_NON_LETTER;
  let tokenClass = T_OTHER;
  if (index >= 0) {
    gain = (Math.ceil((LOG_FREQ[(index + 13) % 26]! - LOG_FREQ[index]! - MIN_GAIN) * 64) + 1) * 2048 + 1;
    const stands = WORD_LETTERS.indexOf(char.toLowerCase());
    wordClass = 1 + (stands < 0 ? WORD_LETTERS.length - 1 : stands);
    tokenClass = T_LETTER;
  } else if (k < 0x80 && LEET[char] !== undefined) tokenClass = T_LEET;
  else if (k === 32 || k === 9) tokenClass = T_SPACE;
  else if (k === 13 || k === 10) tokenClass = T_BREAK;
  UNIT_TABLE[k] = gain * 128 + (tokenClass << 4) + wordClass;
}

/** Units per block: keeps the sums within their fields (at most 128 words a block). */
const BLOCK = 256;

/** Most blocks with candidates remembered (a text with more reads all its words again). */
const MAX_CANDIDATE_BLOCKS = 64;
/** Start and word state of each block of the last text that has a candidate (scratch, reused across calls). */
const candidateBlockStarts = new Int32Array(MAX_CANDIDATE_BLOCKS);
const candidateBlockWords = new Int32Array(MAX_CANDIDATE_BLOCKS);

/** The HINT_* bits of `text` (see the contract above). */
export function viewHints(text: string): number {
  const len = text.length;
  const units = codeUnitsOf(text);
  // Locals: module-level bindings are re-read, with an initialisation check, at every use.
  const unitTable = UNIT_TABLE;
  const words = WORDS.table;
  const tokens = TOKENS.table;
  const blockStarts = candidateBlockStarts;
  const blockWords = candidateBlockWords;
  let word = WORDS.start;
  let token = TOKENS.start;
  let candidates = 0;
  // Blocks with candidates, and the last block's start and word state (the line break may end a candidate).
  let candidateBlocks = 0;
  let lastStart = 0;
  let lastWord = word;
  let pigScore = 0;
  let leetScore = 0;
  let rot = 0;
  let pos = 0;
  for (;;) {
    const newline = text.indexOf('\n', pos);
    const end = newline < 0 ? len : newline;
    let lineLetters = 0;
    let lineGain = 0;
    while (pos < end) {
      const stop = Math.min(end, pos + BLOCK);
      lastStart = pos;
      lastWord = word;
      let wordSum = 0;
      let gain = 0;
      for (; pos < stop; pos++) {
        const entry = unitTable[Math.min(units[pos]!, 0x80)]!;
        gain += entry >> 7;
        const w = words[word + (entry & 15)]!;
        word = w & 0xffff;
        wordSum += w >> 16;
        const t = tokens[token + ((entry >> 4) & 7)]!;
        token = t & 0xffff;
        leetScore += t >> 16;
      }
      // Pig Latin scores times 256 plus candidates (at most 128 a block).
      pigScore += wordSum >> 8;
      candidates += wordSum & 255;
      // Remember the block when it has a candidate (the write is made either way, in a slot that exists).
      const slot = Math.min(candidateBlocks, MAX_CANDIDATE_BLOCKS - 1);
      blockStarts[slot] = lastStart;
      blockWords[slot] = lastWord;
      candidateBlocks += Math.min(wordSum & 255, 1);
      lineLetters += gain & 0x7ff;
      lineGain += gain >> 11;
    }
    // The line feed, or the end of the text (read as one), ends the word, the token and the line.
    const w = words[word + W_NON_LETTER]!;
    word = w & 0xffff;
    pigScore += w >> 24;
    candidates += (w >> 16) & 255;
    const slot = Math.min(candidateBlocks, MAX_CANDIDATE_BLOCKS - 1);
    blockStarts[slot] = lastStart;
    blockWords[slot] = lastWord;
    candidateBlocks += (w >> 16) & 1;
    const t = tokens[token + T_BREAK]!;
    token = t & 0xffff;
    leetScore += t >> 16;
    if (lineLetters >= MIN_LETTERS && lineGain >= 0) rot = HINT_ROT13;
    if (newline < 0) break;
    pos = newline + 1;
  }
  // Every operator below runs on every call: one first reached by a rare text would have no type feedback,
  // and reaching it would throw the optimised code away.
  const leet = leetScore >= LEET_GATE ? HINT_LEET : 0;
  const pig = pigScore > 0 ? HINT_PIG_LATIN : 0;
  const spaced = (TOKENS.keys[token / TOKEN_CLASSES]! & CHAINED) !== 0 ? HINT_SPACED : 0;
  const typo = candidates > 0 && hasMisspeltCandidate(text, candidateBlocks) ? HINT_TYPO : 0;
  return rot | leet | pig | spaced | typo;
}

/**
 * True when a candidate word of `text` is a misspelt verb: the test hasMisspeltVerb makes of each word, made
 * only of the words the word automaton flags (few: near words such as `front` or `force`, and misspellings).
 * The automaton runs again over the `blocks` blocks viewHints remembered, from their word states (a block
 * and the unit after it, which may be the line break that ends a candidate), or over the whole text when
 * there were more than it remembers.
 */
function hasMisspeltCandidate(text: string, blocks: number): boolean {
  if (blocks > MAX_CANDIDATE_BLOCKS) return flaggedWordIsMisspelt(text, 0, text.length, WORDS.start);
  for (let b = 0; b < blocks; b++) {
    const start = candidateBlockStarts[b]!;
    if (flaggedWordIsMisspelt(text, start, Math.min(start + BLOCK, text.length), candidateBlockWords[b]!)) return true;
  }
  return false;
}

/** Runs the word automaton over `text[start, last]` from state `word` (past the end: a non-letter); true when a word it flags is misspelt. */
function flaggedWordIsMisspelt(text: string, start: number, last: number, word: number): boolean {
  const len = text.length;
  const words = WORDS.table;
  const unitTable = UNIT_TABLE;
  for (let pos = start; pos <= last; pos++) {
    const unit = pos < len ? text.charCodeAt(pos) : 0;
    const w = words[word + (unitTable[Math.min(unit, 0x80)]! & 15)]!;
    word = w & 0xffff;
    if ((w & 0x10000) !== 0 && isMisspeltVerbEndingAt(text, pos)) return true;
  }
  return false;
}

/** Whether the word of ASCII letters ending at `end` is a misspelt verb (the test hasMisspeltVerb makes of each word). */
function isMisspeltVerbEndingAt(text: string, end: number): boolean {
  let start = end;
  while (start > 0 && letterIndex(text.charCodeAt(start - 1)) >= 0) start--;
  return mayBeMisspeltVerb(text, start, end) && correctedVerb(text.slice(start, end)) !== null;
}
