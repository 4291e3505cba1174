/**
 * `detectPii`: the structured recognisers plus the token tagger on one string, thresholds
 * applied, overlaps resolved (a validated identifier beats a tagged span). Pure: used by the
 * scanner, `bulwark eval --detector pii` and the benchmark.
 */
import { DEFAULT_TYPES, entityInfo, type PiiEntity } from './entities.ts';
import { GAZETTEER_NAMES, gazetteerBits } from './gazetteer.ts';
import { findStructured } from './structured.ts';
import { defaultTaggerModel, TAGGER_LABELS, tagTokens, type TaggerModel } from './tagger.ts';
import { F_CAP, F_HASDIGIT, F_LINESTART, F_LOWER, K_WORD, Tokens, tokenize } from './tokens.ts';

export type { PiiEntity } from './entities.ts';

export interface DetectOptions {
  /** Entity types to report (default: the default set). */
  types?: readonly string[];
  /** Confidence thresholds per type (default: each type's own). */
  thresholds?: Readonly<Partial<Record<string, number>>>;
  /** The tagger model (default: the committed one; null turns the tagger off). */
  model?: TaggerModel | null;
}

const tokens = new Tokens();
let labels = new Uint8Array(1024);
let confidence = new Float32Array(1024);

const bit = (name: string): number => 1 << GAZETTEER_NAMES.indexOf(name);
const LIST_MASK = bit('place') | bit('nrp') | bit('time');
/** Type of a single word by the fact list it is in (only unambiguous single-list words). */
const LIST_TYPE: Record<number, string> = { [bit('place')]: 'LOCATION', [bit('nrp')]: 'NRP', [bit('time')]: 'DATE_TIME' };

/** Types whose spans are proper names: they neither start nor end with a lowercase word. */
const NAME_TYPES = new Set(['PERSON', 'ORGANIZATION', 'LOCATION']);

function tagged(text: string, model: TaggerModel, types: ReadonlySet<string>, out: PiiEntity[]): void {
  tokenize(text, tokens);
  if (labels.length < tokens.count) {
    labels = new Uint8Array(tokens.count * 2);
    confidence = new Float32Array(tokens.count * 2);
  }
  tagTokens(model, tokens, labels, confidence);
  const firstTagged = out.length;
  let i = 0;
  let last: PiiEntity | undefined;
  while (i < tokens.count) {
    const label = labels[i]!;
    if (label === 0 || TAGGER_LABELS[label] === 'X') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.count && labels[j] === label && !(tokens.flags[j]! & F_LINESTART)) j++;
    const type = TAGGER_LABELS[label]!;
    let from = i;
    let to = j;
    if (NAME_TYPES.has(type)) {
      while (from < to && tokens.flags[from]! & F_LOWER) from++;
      while (to > from && tokens.flags[to - 1]! & F_LOWER) to--;
    }
    if (from < to) {
      let sum = 0;
      for (let k = from; k < to; k++) sum += confidence[k]!;
      // A lone word from a fact list has that list's type whatever the tagger guessed.
      const listed = to - from === 1 ? LIST_TYPE[gazetteerBits(tokens.hash[from]!) & LIST_MASK] : undefined;
      const entity: PiiEntity = { type: listed ?? type, start: tokens.start[from]!, end: tokens.end[to - 1]!, score: sum / (to - from) };
      // "Acme" (PERSON) + "Corp" (ORGANIZATION) on one line: one organisation.
      if (last && type === 'ORGANIZATION' && last.type === 'PERSON' && from === i && /^[ \t]*$/.test(text.slice(last.end, entity.start))) {
        last.type = 'ORGANIZATION';
        last.end = entity.end;
        last.score = (last.score + entity.score) / 2;
      } else if (types.has(type) || type === 'PERSON') {
        out.push(entity);
        last = entity;
      }
    }
    i = j;
  }
  givenNamePeople(types, out, firstTagged);
  dropLoneNumbers(text, out, firstTagged);
}

const GIVEN = bit('givenName');
const NOT_NAME = bit('street') | bit('org') | bit('place') | bit('time');
const PERSON_RULE_SCORE = 0.85;

/**
 * A listed given name followed by one or two capitalised words on the same line is a person,
 * whatever the tagger made of it ("for Jane Doe" tagged as an organisation in the training
 * templates' style): the tagged spans it overlaps give way to it.
 */
function givenNamePeople(types: ReadonlySet<string>, out: PiiEntity[], from: number): void {
  if (!types.has('PERSON')) return;
  const people: PiiEntity[] = [];
  for (let i = 0; i + 1 < tokens.count; i++) {
    if (!(tokens.flags[i]! & F_CAP) || !(gazetteerBits(tokens.hash[i]!) & GIVEN)) continue;
    let j = i + 1;
    while (j < tokens.count && j - i <= 3 && tokens.flags[j]! & F_CAP && !(tokens.flags[j]! & (F_LINESTART | F_HASDIGIT)) && tokens.kind[j] === K_WORD && !(gazetteerBits(tokens.hash[j]!) & NOT_NAME)) j++;
    if (j === i + 1) continue;
    people.push({ type: 'PERSON', start: tokens.start[i]!, end: tokens.end[j - 1]!, score: PERSON_RULE_SCORE });
    i = j - 1;
  }
  if (people.length === 0) return;
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

/** Tagged types that may be a bare number (house number, postcode) inside an address block. */
const NUMERIC_IN_ADDRESS = new Set(['STREET_ADDRESS', 'ZIP_CODE']);
const ADDRESS_NEIGHBOURHOOD = 40;

/**
 * A tagged address part made only of digits is kept only near a tagged span with letters: a
 * house number or postcode sits next to a street, a place or a name; a lone number is a reference.
 */
function isNumeric(text: string, e: PiiEntity): boolean {
  return NUMERIC_IN_ADDRESS.has(e.type) && !/[^\d\s-]/.test(text.slice(e.start, e.end));
}

function dropLoneNumbers(text: string, out: PiiEntity[], from: number): void {
  // Tagged spans come in text order, so the nearest anchor on each side is found in one sweep each way.
  const count = out.length - from;
  const numeric = new Uint8Array(count);
  for (let k = 0; k < count; k++) numeric[k] = isNumeric(text, out[from + k]!) ? 1 : 0;
  const near = new Uint8Array(count);
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
  out.length = write;
}

/**
 * Sorts by start and resolves overlaps in one sweep: of two overlapping entities the one with the
 * higher priority (then score, then length) stays.
 */
function rank(e: PiiEntity): number {
  return (entityInfo(e.type)?.priority ?? 0) * 10 + e.score;
}

export function resolveOverlaps(entities: PiiEntity[]): PiiEntity[] {
  const sorted = entities.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiEntity[] = [];
  for (const entity of sorted) {
    const last = kept[kept.length - 1];
    if (last && entity.start < last.end) {
      const better = rank(entity) - rank(last) || entity.end - entity.start - (last.end - last.start);
      if (better > 0) kept[kept.length - 1] = entity;
      continue;
    }
    kept.push(entity);
  }
  return kept;
}

const typeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The set of a types list, built once per list (configs keep their list for the scanner's life). */
function typeSet(list: readonly string[]): ReadonlySet<string> {
  let set = typeSets.get(list);
  if (!set) {
    set = new Set(list);
    typeSets.set(list, set);
  }
  return set;
}

/** Finds PII entities in `text`; spans are UTF-16 offsets, end exclusive. */
export function detectPii(text: string, options: DetectOptions = {}): PiiEntity[] {
  const types = typeSet(options.types ?? DEFAULT_TYPES);
  const found: PiiEntity[] = [];
  const thresholds = options.thresholds ?? {};
  findStructured(text, types, found, thresholds.PHONE_NUMBER ?? entityInfo('PHONE_NUMBER')!.threshold);
  const model = options.model === undefined ? defaultTaggerModel() : options.model;
  if (model) tagged(text, model, types, found);
  const passing = found.filter((e) => e.end > e.start && types.has(e.type) && e.score >= (thresholds[e.type] ?? entityInfo(e.type)?.threshold ?? 0.5));
  return resolveOverlaps(passing);
}
