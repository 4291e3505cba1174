/**
 * What `detectPii` derives from its options, built once per options object and kept while the
 * caller passes the same one (a scanner's config keeps its lists and maps for its life): the
 * types set, each type's threshold, the lowest score kept per type, the phone threshold and which
 * tagger labels are scored. So a call costs a few identity tests, not set and map building.
 */
import { entityInfo, PII_TYPES } from './entities.ts';
import { TAGGER_LABELS } from './tagger.ts';

const thresholdMaps = new WeakMap<object, ReadonlyMap<string, number>>();
export const NO_THRESHOLDS = {};

/**
 * Each type's threshold (the configured one, else the type's own), built once per thresholds
 * object (a scanner's config keeps its object, unchanged, for its life).
 */
let lastThresholds: object | undefined;
let lastMap: ReadonlyMap<string, number> | undefined;

export function thresholdMap(thresholds: Readonly<Partial<Record<string, number>>>): ReadonlyMap<string, number> {
  if (thresholds === lastThresholds) return lastMap!;
  let map = thresholdMaps.get(thresholds);
  if (!map) {
    const built = new Map<string, number>(PII_TYPES.map((type) => [type, entityInfo(type)!.threshold]));
    for (const [type, value] of Object.entries(thresholds)) if (value !== undefined) built.set(type, value);
    map = built;
    thresholdMaps.set(thresholds, map);
  }
  lastThresholds = thresholds;
  lastMap = map;
  return map;
}

const typeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The set of a types list, built once per list (configs keep their list for the scanner's life). */
let lastList: readonly string[] | undefined;
let lastSet: ReadonlySet<string> | undefined;

export function typeSet(list: readonly string[]): ReadonlySet<string> {
  if (list === lastList) return lastSet!;
  let set = typeSets.get(list);
  if (!set) {
    set = new Set(list);
    typeSets.set(list, set);
  }
  lastList = list;
  lastSet = set;
  return set;
}

/**
 * The lowest score kept per type in `types` (`minimum`'s, 0.5 for a type it lacks): one lookup per
 * entity instead of the set and the thresholds. Built once per pair (both are built once per config).
 */
let keepTypes: ReadonlySet<string> | undefined;
let keepMinimum: ReadonlyMap<string, number> | undefined;
let keepMap: ReadonlyMap<string, number> = new Map();

export function keptScores(types: ReadonlySet<string>, minimum: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  if (types !== keepTypes || minimum !== keepMinimum) {
    keepMap = new Map([...types].map((type) => [type, minimum.get(type) ?? 0.5]));
    keepTypes = types;
    keepMinimum = minimum;
  }
  return keepMap;
}

/** The phone threshold of the last thresholds map (read once per map, not per call). */
let phoneFor: ReadonlyMap<string, number> | undefined;
let phoneThreshold = 0.5;

export function phoneThresholdOf(minimum: ReadonlyMap<string, number>): number {
  if (minimum !== phoneFor) {
    phoneThreshold = minimum.get('PHONE_NUMBER')!;
    phoneFor = minimum;
  }
  return phoneThreshold;
}

/**
 * Per tagger label, 1 when its spans are scored: its type is requested, or it is PERSON (the
 * given-name rule and the organisation merge read people). Built once per types set (one lookup
 * per span instead of a set lookup).
 */
let scoredTypes: ReadonlySet<string> | undefined;
const scoredLabel = new Uint8Array(TAGGER_LABELS.length);

export function scoredLabels(types: ReadonlySet<string>): Uint8Array {
  if (types !== scoredTypes) {
    TAGGER_LABELS.forEach((type, label) => (scoredLabel[label] = types.has(type) || type === 'PERSON' ? 1 : 0));
    scoredTypes = types;
  }
  return scoredLabel;
}
