/**
 * `detectPii`: the structured recognisers plus the token tagger on one string, thresholds
 * applied, overlaps resolved (a validated identifier beats a tagged span). Pure: used by the
 * scanner, `bulwark eval --detector pii` and the benchmark.
 */
import { DEFAULT_TYPES, entityInfo, PII_TYPES, type PiiEntity } from './entities.ts';
import { GAZETTEER_NAMES } from './gazetteer.ts';
import { keptScores, NO_THRESHOLDS, phoneThresholdOf, scoredLabels, thresholdMap, typeSet } from './detect-config.ts';
import { findStructured } from './structured.ts';
import { confidenceDivisor } from './infer.ts';
import { squash } from './squash.ts';
import { prepared, prepareText } from './tag-text.ts';
import { defaultTaggerModel, TAGGER_LABELS, type TaggerModel } from './tagger.ts';
import { F_CAP, F_HASDIGIT, F_LINESTART, F_LOWER, K_DIGIT, K_WORD, type Tokens, wordHash } from './tokens.ts';

export type { PiiEntity } from './entities.ts';

export interface DetectOptions {
  /** Entity types to report (default: the default set). */
  types?: readonly string[];
  /** Confidence thresholds per type (default: each type's own). */
  thresholds?: Readonly<Partial<Record<string, number>>>;
  /** The tagger model (default: the committed one; null turns the tagger off). */
  model?: TaggerModel | null;
}

/** The current call's tokens (in the tagger kernel's memory when it has one: `prepareText`). */
let tokens: Tokens = prepared.tokens;

const bit = (name: string): number => 1 << GAZETTEER_NAMES.indexOf(name);
const PLACE = bit('place');
const NRP = bit('nrp');
const TIME = bit('time');
const LIST_MASK = PLACE | NRP | TIME;

/** Type of a single word by the fact list it is in (only unambiguous single-list words): gazetteer bits masked by LIST_MASK. */
function listType(bits: number): string | undefined {
  return bits === PLACE ? 'LOCATION' : bits === NRP ? 'NRP' : bits === TIME ? 'DATE_TIME' : undefined;
}

/** Types whose spans are proper names: they neither start nor end with a lowercase word. */
const NAME_TYPES = new Set(['PERSON', 'ORGANIZATION', 'LOCATION']);
const NAME_LABEL = Uint8Array.from(TAGGER_LABELS, (label) => (NAME_TYPES.has(label) ? 1 : 0));
const X_LABEL = TAGGER_LABELS.indexOf('X');
const STREET_LABEL = TAGGER_LABELS.indexOf('STREET_ADDRESS');
const AGE_LABEL = TAGGER_LABELS.indexOf('AGE');

/**
 * Nouns of a quantity that is not an age: a number after one ("his shoe size is 44", "room number
 * 12", "score: 44") is not an AGE. Not a gazetteer list (not a model feature): used by this rule only.
 */
const MEASURE_WORDS = new Set(
  'size number score temperature temp weight height length width depth price cost total count amount quantity level grade rank room page speed distance volume capacity rate percentage version balance fee pin code'
    .split(' ')
    .map((word) => wordHash(word)),
);
/** Words that may stand between a measure word and its number ("size is 44", "size: 44"). */
const LINK_WORDS = new Set(['is', 'was', 'are', 'were', 'of', 'about', 'around', 'approximately', 'exactly', ':', '='].map((word) => wordHash(word)));

/** True when the number at token `i` follows a measure word on its line (link words between them allowed). */
function afterMeasureWord(i: number): boolean {
  return tokens.kind[i] === K_DIGIT && afterWordOnLine(i, MEASURE_WORDS);
}

/** True when one of `words` comes before token `i` on its line, with at most two link words ("is", "of", ":") between. */
function afterWordOnLine(i: number, words: ReadonlySet<number>): boolean {
  for (let k = i - 1, links = 0; k >= 0 && links <= 2; k--, links++) {
    if (tokens.flags[k + 1]! & F_LINESTART) return false;
    const h = tokens.hash[k]!;
    if (words.has(h)) return tokens.kind[k] === K_WORD;
    if (!LINK_WORDS.has(h)) return false;
  }
  return false;
}

/** Spans from the labels `prepareText` left in `prepared`, then the post-rules. */
function tagged(text: string, model: TaggerModel, types: ReadonlySet<string>, out: PiiEntity[]): void {
  tokens = prepared.tokens;
  const { labels, margins, context } = prepared.tagged!;
  const gaz = context.gaz;
  const divisor = confidenceDivisor(model);
  const firstTagged = out.length;
  const count = tokens.count;
  const flags = tokens.flags;
  const scored = scoredLabels(types);
  let i = 0;
  let last: PiiEntity | undefined;
  while (i < count) {
    const label = labels[i]!;
    if (label === 0 || label === X_LABEL) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < count && labels[j] === label && !(flags[j]! & F_LINESTART)) j++;
    const type = TAGGER_LABELS[label]!;
    let from = i;
    let to = j;
    if (NAME_LABEL[label]) {
      while (from < to && flags[from]! & F_LOWER) from++;
      while (to > from && flags[to - 1]! & F_LOWER) to--;
    } else if (label === STREET_LABEL) {
      // An address has a number or a capitalised word: "the third floor" alone is not one.
      let marked = false;
      for (let k = from; k < to && !marked; k++) marked = (flags[k]! & (F_CAP | F_HASDIGIT)) !== 0;
      if (!marked) from = to;
    }
    // A number after a measure word is a size, a count or a price, not an age.
    if (from < to && !(label === AGE_LABEL && afterMeasureWord(from))) {
      const start = tokens.start[from]!;
      // "Acme" (PERSON) + "Corp" (ORGANIZATION) on one line: one organisation.
      const into = last && type === 'ORGANIZATION' && last.type === 'PERSON' && from === i && /^[ \t]*$/.test(text.slice(last.end, start)) ? last : undefined;
      // The confidence squash runs only for spans that are kept.
      if (into || scored[label] === 1) {
        let sum = 0;
        for (let k = from; k < to; k++) sum += squash(margins[k]!, divisor);
        const score = sum / (to - from);
        const end = tokens.end[to - 1]!;
        if (into) {
          into.type = 'ORGANIZATION';
          into.end = end;
          into.score = (into.score + score) / 2;
        } else {
          // A lone word from a fact list has that list's type whatever the tagger guessed.
          const listed = to - from === 1 ? listType(gaz[from]! & LIST_MASK) : undefined;
          last = { type: listed ?? type, start, end, score };
          out.push(last);
        }
      }
    }
    i = j;
  }
  givenNamePeople(types, out, firstTagged, gaz);
  dropLoneNumbers(text, out, firstTagged);
  // (AGE's label is scored exactly when AGE is requested)
  statedAges(scored[AGE_LABEL] === 1, out, firstTagged);
}

const AGE_UNITS = new Set(['years', 'year', 'yrs', 'yr'].map((word) => wordHash(word)));
const OLD = wordHash('old');
const YO = wordHash('yo');
const AGE_WORDS = new Set(['age', 'aged'].map((word) => wordHash(word)));
const HYPHEN = wordHash('-');
const AGE_RULE_SCORE = 0.8;

/** True when the number at token `i` is stated as an age: "44 years old", "44-year-old", "44 yo", "aged 44", "age is 44". */
function statedAge(i: number): boolean {
  const n = tokens.count;
  let k = i + 1;
  if (k < n && tokens.hash[k] === HYPHEN) k++;
  if (k < n && tokens.hash[k] === YO) return true;
  if (k < n && AGE_UNITS.has(tokens.hash[k]!)) {
    k++;
    if (k < n && tokens.hash[k] === HYPHEN) k++;
    if (k < n && tokens.hash[k] === OLD) return true;
  }
  return afterWordOnLine(i, AGE_WORDS);
}

/**
 * A number of one to three digits stated as an age is an AGE whatever the tagger made of it (the
 * tagger has seen few ages); a tagged span overlapping it stays instead.
 */
function statedAges(wanted: boolean, out: PiiEntity[], from: number): void {
  if (!wanted) return;
  // Tagged spans by start (sorted only when a stated age is there); `reach` is the furthest end of
  // those starting before the current number's end, so the sweep stays linear on large inputs.
  let spans: PiiEntity[] | undefined;
  let next = 0;
  let reach = -1;
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.kind[i] !== K_DIGIT || tokens.end[i]! - tokens.start[i]! > 3 || !statedAge(i)) continue;
    spans ??= out.slice(from).sort(byStart);
    const start = tokens.start[i]!;
    const end = tokens.end[i]!;
    while (next < spans.length && spans[next]!.start < end) reach = Math.max(reach, spans[next++]!.end);
    if (reach <= start) out.push({ type: 'AGE', start, end, score: AGE_RULE_SCORE });
  }
}

const byStart = (a: PiiEntity, b: PiiEntity): number => a.start - b.start;

const GIVEN = bit('givenName');
const NOT_NAME = bit('street') | bit('org') | bit('place') | bit('time');
const PERSON_RULE_SCORE = 0.85;

/**
 * A listed given name followed by one or two capitalised words on the same line is a person,
 * whatever the tagger made of it ("for Jane Doe" tagged as an organisation in the training
 * templates' style): the tagged spans it overlaps give way to it.
 */
function givenNamePeople(types: ReadonlySet<string>, out: PiiEntity[], from: number, gaz: Int32Array): void {
  // (the kernel counted the capitalised given names: none, no person)
  if (prepared.givens === 0 || !types.has('PERSON')) return;
  let people: PiiEntity[] | undefined;
  const count = tokens.count;
  const flags = tokens.flags;
  for (let i = 0; i + 1 < count; i++) {
    if (!(flags[i]! & F_CAP) || !(gaz[i]! & GIVEN)) continue;
    let j = i + 1;
    while (j < count && j - i <= 3 && flags[j]! & F_CAP && !(flags[j]! & (F_LINESTART | F_HASDIGIT)) && tokens.kind[j] === K_WORD && !(gaz[j]! & NOT_NAME)) j++;
    if (j === i + 1) continue;
    (people ??= []).push({ type: 'PERSON', start: tokens.start[i]!, end: tokens.end[j - 1]!, score: PERSON_RULE_SCORE });
    i = j - 1;
  }
  if (!people) return;
  let write = from;
  let p = 0;
  for (let k = from; k < out.length; k++) {
    const e = out[k]!;
    while (p < people.length && people[p]!.end <= e.start) p++;
    const hit = p < people.length && people[p]!.start < e.end;
    if (hit && e.type === 'PERSON') people[p]!.score = Math.max(people[p]!.score, e.score);
    if (!hit) out[write++] = e;
  }
  out.length = write;
  out.push(...people);
}

const ADDRESS_NEIGHBOURHOOD = 40;

/**
 * A tagged address part made only of digits is kept only near a tagged span with letters: a
 * house number or postcode sits next to a street, a place or a name; a lone number is a reference.
 */
function isNumeric(text: string, e: PiiEntity): boolean {
  // Tagged types that may be a bare number (house number, postcode) inside an address block.
  if (e.type !== 'STREET_ADDRESS' && e.type !== 'ZIP_CODE') return false;
  for (let k = e.start; k < e.end; k++) {
    const c = text.charCodeAt(k);
    // digits, whitespace (as \s) and hyphens only
    if (!((c >= 48 && c <= 57) || c === 45 || c === 32 || (c >= 9 && c <= 13) || ((c === 0xa0 || c >= 0x1680) && WHITESPACE.test(text[k]!)))) return false;
  }
  return true;
}
const WHITESPACE = /^\s$/;

/** Scratch flags for dropLoneNumbers (grown as needed, reused across calls). */
let numericFlags = new Uint8Array(64);
let nearFlags = new Uint8Array(64);

function dropLoneNumbers(text: string, out: PiiEntity[], from: number): void {
  // Tagged spans come in text order, so the nearest anchor on each side is found in one sweep each way.
  const count = out.length - from;
  // (most texts have no numeric address span: find one before filling the flags)
  let k0 = 0;
  while (k0 < count && !isNumeric(text, out[from + k0]!)) k0++;
  if (k0 === count) return;
  if (numericFlags.length < count) {
    numericFlags = new Uint8Array(count * 2);
    nearFlags = new Uint8Array(count * 2);
  }
  const numeric = numericFlags;
  const near = nearFlags;
  let any = false;
  for (let k = 0; k < count; k++) {
    numeric[k] = isNumeric(text, out[from + k]!) ? 1 : 0;
    near[k] = 0;
    if (numeric[k]) any = true;
  }
  if (!any) return;
  let lastEnd = -Infinity;
  for (let k = 0; k < count; k++) {
    const e = out[from + k]!;
    if (!numeric[k]) lastEnd = e.end;
    else if (e.start - lastEnd <= ADDRESS_NEIGHBOURHOOD) near[k] = 1;
  }
  let nextStart = Infinity;
  for (let k = count - 1; k >= 0; k--) {
    const e = out[from + k]!;
    if (!numeric[k]) nextStart = e.start;
    else if (nextStart - e.end <= ADDRESS_NEIGHBOURHOOD) near[k] = 1;
  }
  let write = from;
  for (let k = 0; k < count; k++) if (!numeric[k] || near[k]) out[write++] = out[from + k]!;
  if (write !== out.length) out.length = write;
}

/**
 * Sorts by start and resolves overlaps in one sweep: of two overlapping entities the one with the
 * higher priority (then score, then length) stays.
 */
const PRIORITY = new Map(PII_TYPES.map((type) => [type as string, entityInfo(type)!.priority]));

function rank(e: PiiEntity): number {
  return (PRIORITY.get(e.type) ?? 0) * 10 + e.score;
}

export function resolveOverlaps(entities: PiiEntity[]): PiiEntity[] {
  return resolveInPlace(entities.slice());
}

const byPosition = (a: PiiEntity, b: PiiEntity): number => a.start - b.start || b.end - a.end;

/** resolveOverlaps on an array it may reorder (a stable insertion sort for the usual few entities). */
function resolveInPlace(sorted: PiiEntity[]): PiiEntity[] {
  const n = sorted.length;
  if (n > 24) sorted.sort(byPosition);
  else {
    for (let i = 1; i < n; i++) {
      const e = sorted[i]!;
      let j = i - 1;
      while (j >= 0 && byPosition(sorted[j]!, e) > 0) {
        sorted[j + 1] = sorted[j]!;
        j--;
      }
      sorted[j + 1] = e;
    }
  }
  // Kept entities are compacted to the front (the write index never passes the read index).
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const entity = sorted[k]!;
    if (kept > 0) {
      const last = sorted[kept - 1]!;
      if (entity.start < last.end) {
        const better = rank(entity) - rank(last) || entity.end - entity.start - (last.end - last.start);
        if (better > 0) sorted[kept - 1] = entity;
        continue;
      }
    }
    sorted[kept++] = entity;
  }
  if (kept !== n) sorted.length = kept;
  return sorted;
}

/** Finds PII entities in `text`; spans are UTF-16 offsets, end exclusive. */
export function detectPii(text: string, options?: DetectOptions): PiiEntity[] {
  const types = typeSet(options?.types ?? DEFAULT_TYPES);
  const found: PiiEntity[] = [];
  const minimum = thresholdMap(options?.thresholds ?? NO_THRESHOLDS);
  const model = options?.model === undefined ? defaultTaggerModel() : options.model;
  // Tokenized and tagged first (one kernel call): the tokenizer also finds what findStructured asks of the text.
  prepareText(model, text);
  findStructured(text, types, found, phoneThresholdOf(minimum), prepared.count, prepared.facts);
  if (model) tagged(text, model, types, found);
  const keep = keptScores(types, minimum);
  let write = 0;
  for (let k = 0; k < found.length; k++) {
    const e = found[k]!;
    const least = keep.get(e.type);
    if (least !== undefined && e.end > e.start && e.score >= least) found[write++] = e;
  }
  if (write !== found.length) found.length = write;
  return resolveInPlace(found);
}
