/**
 * Extra views of a segment that undo evasions the core canonicaliser leaves in place, so every
 * injection layer (signatures, classifier, piece model) also reads the plain form:
 * - rot13 lines in any Latin-script language (the core decoder only trusts stretches of common
 *   English words, so rot13 German or French slipped through): a line is decoded when its letters
 *   fit English-like letter frequencies far better after rot13 than before;
 * - tag characters decoded in place (the core decodes each run of tag characters on its own, so a
 *   payload interleaved with visible non-ASCII characters came out in fragments);
 * - leetspeak folded across whole tokens (`1gn0r3 4ll`), including all-digit tokens (`15`, `4`)
 *   once the text as a whole is clearly written in leet;
 * - a segment that is one base64 or hex blob, decoded even when what it carries is a table or code;
 * - Pig Latin and letters spaced out one by one, two cheap word games attackers use;
 * - misspelt override verbs (`igmre`, `disregrad`) written correctly (typos.ts).
 * Each is linear in the text and returns nothing for ordinary text.
 */
import { rot13 } from '../../text/rot13.ts';
import { bytesToText, isPlausibleText } from '../../text/text-checks.ts';
import type { CanonicalText } from '../../text/types.ts';
import { typoView } from './typos.ts';
import { HINT_LEET, HINT_PIG_LATIN, HINT_ROT13, HINT_SPACED, HINT_TYPO, LEET, letterIndex, LOG_FREQ, MIN_GAIN, MIN_LETTERS, viewHints } from './view-hints.ts';

export interface EvasionView {
  text: string;
  where: string;
}

/** Whether `text[start, end)` (one line) reads better rot13-decoded than as it is. */
function looksRot13(text: string, start = 0, end = text.length): boolean {
  let letters = 0;
  let gain = 0;
  for (let i = start; i < end; i++) {
    const index = letterIndex(text.charCodeAt(i));
    if (index < 0) continue;
    letters++;
    gain += LOG_FREQ[(index + 13) % 26]! - LOG_FREQ[index]!;
  }
  return letters >= MIN_LETTERS && gain / letters >= MIN_GAIN;
}

function rot13View(text: string): string | null {
  // Nearly every text has no rot13 line: find that out without splitting it.
  let found = false;
  for (let start = 0; start <= text.length && !found; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    found = looksRot13(text, start, end);
    start = end + 1;
  }
  if (!found) return null;
  const lines = text.split('\n');
  let any = false;
  const out = lines.map((line) => {
    if (!looksRot13(line)) return line;
    any = true;
    return rot13(line);
  });
  return any ? out.join('\n') : null;
}

/** The original with tag characters (U+E0020-E007E, and tab/LF/CR) read as the ASCII they carry, other tags dropped. */
function tagView(canonical: CanonicalText): string | null {
  if (!canonical.hidden.some((run) => run.kind === 'tag-character')) return null;
  let out = '';
  for (const char of canonical.original) {
    const cp = char.codePointAt(0)!;
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      // Tab, line feed and carriage return too: without them a smuggled document loses its lines.
      if ((cp >= 0xe0020 && cp <= 0xe007e) || cp === 0xe0009 || cp === 0xe000a || cp === 0xe000d) out += String.fromCharCode(cp - 0xe0000);
    } else out += char;
  }
  return out;
}

/** 1 for the char codes of LEET's keys. */
const LEET_CODE = new Uint8Array(128);
for (const key of Object.keys(LEET)) LEET_CODE[key.charCodeAt(0)] = 1;

/**
 * leetView's gate, exactly: at least two tokens (split at space, tab, CR, LF) mix ASCII letters with leet
 * (two leet characters, or one between letters: `1gn0r3`, `h0w`, not `mp3`, `4K` or `x86`), and they are
 * at least a tenth of the tokens with letters. Run only when viewHints sets HINT_LEET.
 */
function leetMixed(text: string): boolean {
  const len = text.length;
  let mixed = 0;
  let lettered = 0;
  let letters = false;
  let leet = 0;
  let inside = false;
  let previousLetter = false;
  let pendingLeet = false;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? text.charCodeAt(i) : 10;
    if (letterIndex(c) >= 0) {
      if (pendingLeet) inside = true;
      letters = true;
      previousLetter = true;
      pendingLeet = false;
    } else if (c === 32 || c === 10 || c === 9 || c === 13) {
      if (letters) lettered++;
      if (letters && (leet >= 2 || inside)) mixed++;
      letters = false;
      leet = 0;
      inside = false;
      previousLetter = false;
      pendingLeet = false;
    } else if (c < 128 && LEET_CODE[c] === 1) {
      leet++;
      pendingLeet = previousLetter || pendingLeet;
      previousLetter = false;
    } else {
      previousLetter = false;
      pendingLeet = false;
    }
  }
  return mixed >= 2 && mixed * 10 >= lettered;
}

/**
 * Per ASCII code, how leetView reads it: 0 not a word character, 1 a letter, 2 a leet character (LEET's
 * keys), 3 another word character (digits 2, 6, 8, 9).
 */
const ASCII_WORD_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const char = String.fromCharCode(c);
  ASCII_WORD_KIND[c] = letterIndex(c) >= 0 ? 1 : LEET[char] !== undefined ? 2 : /\p{N}/u.test(char) ? 3 : 0;
}

/** Per BMP code unit above ASCII: 0 not yet known, 1 a letter or number (\p{L}, \p{N}), 2 neither. Filled lazily. */
const WIDE_WORD = new Uint8Array(0x10000);
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

/** Whether the code point `cp` (above ASCII) is a letter or number, as the `u` regexes of this file read it. */
function isWideWordChar(cp: number): boolean {
  if (cp > 0xffff) return LETTER_OR_NUMBER.test(String.fromCodePoint(cp));
  let known = WIDE_WORD[cp]!;
  // A lone surrogate is a code point of its own to a `u` regex, and neither a letter nor a number.
  if (known === 0) known = WIDE_WORD[cp] = LETTER_OR_NUMBER.test(String.fromCharCode(cp)) ? 1 : 2;
  return known === 1;
}

/** JavaScript's `\s` (white space and line terminators), by code unit. */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Folds leet in every token made only of letters and leet characters. Called only when enough
 * tokens mix both (leetMixed). A token (split at `\s`) is folded when its word characters (letters,
 * numbers, `@`, `$`) form one stretch, with anything else only before or after it, and that stretch
 * holds only ASCII letters and leet characters; then every leet character of the token is in the
 * stretch, and is replaced by its letter. One pass over the code units, no regex: a text written in
 * another script has many tokens, and splitting and matching each one cost several times the rest of
 * the views together. Exported for tests.
 */
export function leetView(text: string): string {
  const len = text.length;
  const kinds = ASCII_WORD_KIND;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < len) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    // 0: no word character yet; 1: inside the stretch; 2: past it.
    let state = 0;
    let foldable = true;
    let leet = false;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) break;
      let kind: number;
      if (c < 0x80) {
        kind = kinds[c]!;
        i++;
      } else {
        const cp = text.codePointAt(i)!;
        kind = isWideWordChar(cp) ? 3 : 0;
        i += cp > 0xffff ? 2 : 1;
      }
      if (kind === 0) {
        if (state === 1) state = 2;
        continue;
      }
      if (state === 2 || kind === 3) foldable = false;
      state = 1;
      if (kind === 2) leet = true;
    }
    if (!foldable || !leet) continue;
    for (let k = start; k < i; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x80 || kinds[c] !== 2) continue;
      out += text.slice(copied, k) + LEET[String.fromCharCode(c)]!;
      copied = k + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const ONSETS = new Set('th wh sh ch ph st str sp spr sc sk sm sn sw tw qu kn wr gl gr dr tr pr pl br bl cr cl fr fl sl thr shr sch'.split(' '));

/** Pig Latin back to English when most words end in -ay (`erewhay oesday` -> `where does`). */
function pigLatinView(text: string): string | null {
  // Count ASCII-letter words and those of 3+ letters ending in "ay" (any case) without allocating.
  let words = 0;
  let pig = 0;
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      run++;
      continue;
    }
    if (run === 0) continue;
    words++;
    if (run >= 3 && (text.charCodeAt(i - 1) | 32) === 121 && (text.charCodeAt(i - 2) | 32) === 97) pig++;
    run = 0;
  }
  if (words < 3 || pig * 10 < words * 6) return null;
  return text.replace(/[A-Za-z]+/g, (word) => {
    if (word.length < 3 || !/ay$/i.test(word)) return word;
    const stem = word.slice(0, -2);
    if (/y$/i.test(stem) && /^[aeiou]/i.test(stem)) return stem.slice(0, -1);
    // The moved onset: a known two- or three-letter onset at the end of the stem, else its last consonant.
    const cluster = /[^aeiouy]+$/i.exec(stem);
    if (!cluster || cluster.index === 0) return stem;
    const tail = cluster[0].toLowerCase();
    const onset = tail.length >= 3 && ONSETS.has(tail.slice(-3)) ? 3 : tail.length >= 2 && ONSETS.has(tail.slice(-2)) ? 2 : 1;
    return `${stem.slice(-onset)}${stem.slice(0, -onset)}`;
  });
}

/** Letters spaced out one by one (`S a y t h a t`) joined back into runs. */
function spacedLettersView(text: string): string | null {
  if (!/(?:^|\s)\p{L}(?:[ \t]\p{L}){7}(?=\s|$)/u.test(text)) return null;
  return text.replace(/(?<=^|\s)\p{L}(?:[ \t]\p{L}){3,}(?=\s|$)/gu, (run) => run.replace(/[ \t]/g, ''));
}

const MAX_BLOB = 65_536;

/**
 * A segment that is one base64 or hex blob, decoded even when the text inside is not prose (a table
 * or code is mostly symbols, which the core's readability check for embedded runs rejects).
 */
function blobView(canonical: CanonicalText): string | null {
  const text = canonical.text.trim();
  if (text.length < 24 || text.length > MAX_BLOB || canonical.decoded.some((run) => run.end - run.start >= text.length * 0.9)) return null;
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) bytes = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) bytes = Buffer.from(text, 'base64');
  if (!bytes) return null;
  const decoded = bytesToText(bytes);
  return decoded !== undefined && isPlausibleText(decoded) ? decoded : null;
}

/** The views of `canonical` that differ from its canonical text (usually none). */
export function evasionViews(canonical: CanonicalText): EvasionView[] {
  const views: EvasionView[] = [];
  const text = canonical.text;
  // A view runs only when the hints say it can return something (nearly never): one pass instead of one per view.
  const found = viewHints(text);
  const rot = found & HINT_ROT13 ? rot13View(text) : null;
  if (rot !== null) views.push({ text: rot, where: 'rot13-decoded text' });
  const tags = tagView(canonical);
  if (tags !== null) views.push({ text: tags, where: 'tag-character payload' });
  const leet = (found & HINT_LEET) !== 0 && leetMixed(text) ? leetView(text) : null;
  if (leet !== null && leet !== text) views.push({ text: leet, where: 'leetspeak-folded text' });
  const blob = blobView(canonical);
  if (blob !== null) views.push({ text: blob, where: 'decoded blob' });
  const pig = found & HINT_PIG_LATIN ? pigLatinView(text) : null;
  if (pig !== null) views.push({ text: pig, where: 'pig-latin-decoded text' });
  const spaced = found & HINT_SPACED ? spacedLettersView(text) : null;
  if (spaced !== null) views.push({ text: spaced, where: 'spaced-out letters joined' });
  const typos = found & HINT_TYPO ? typoView(text) : null;
  if (typos !== null) views.push({ text: typos, where: 'misspelt override verb corrected' });
  return views;
}
