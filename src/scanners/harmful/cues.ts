/**
 * The harmful classifier's features beyond n-grams: which hazard categories the lexicon finds,
 * whether the text is a request (imperative or "how do I"), whether it targets a person, and
 * guards learned from hard negatives (technical homonyms such as "kill a process", fiction and
 * games, safety/education questions, figurative use), misinformation and risky-behaviour cues. Each is a dense feature id after the hashed
 * buckets, and the co-occurrences (request x category, category x guard) are features of their
 * own, so the model learns that "how do I kill" is harmful next to "my neighbour" and not next to
 * "Python process". Training and inference share `harmfulCues`.
 */
import { HAZARD_CATEGORIES, LEXICON, type HazardCategory } from './lexicon.ts';
import { PhraseMatcher } from './phrases.ts';

/** Bump when a phrase list or feature id changes: the model must then be retrained. */
export const CUES_VERSION = 'harmful-cues/2';

const REQUEST = [
  'how to', 'how do i', 'how can i', 'how could i', 'how would i', 'how should i', 'how do you', 'how can you', 'can you help', 'help me', 'give me',
  'tell me how', 'show me how', 'teach me', 'write a', 'write an', 'write me', 'create a', 'create an', 'generate', 'provide', 'develop a', 'design a',
  'produce a', 'draft', 'compose', 'instruct*', 'step by step', 'tutorial', 'guide on', 'guide to', 'explain how', 'best way to', 'ways to',
  'easiest way', 'can you', 'could you', 'i want to', 'i need to', 'plan to', 'outline a', 'make a', 'build a', 'list the', 'suggest',
];
const PERSON = [
  'someone', 'somebody', 'someone s', 'a person', 'people', 'a child', 'children', 'kids', 'stranger*', 'my sister', 'my brother', 'my wife',
  'my husband', 'my boss', 'my neighbor', 'my neighbour', 'my ex', 'my friend', 'my father', 'my mother', 'my employee', 'my teacher', 'my student',
  'my classmate', 'my coworker', 'my colleague', 'my partner', 'my girlfriend', 'my boyfriend', 'my fiance', 'my roommate', 'him', 'her', 'them',
];
const TECHNICAL = [
  'python', 'process', 'processes', 'linux', 'unix', 'bash', 'terminal', 'command', 'server', 'thread*', 'kernel', 'docker', 'container*', 'git', 'sql',
  'database', 'query', 'code', 'function', 'javascript', 'typescript', 'java', 'api', 'program', 'programming', 'software', 'windows', 'task manager',
  'pid', 'excel', 'spreadsheet', 'css', 'html', 'session', 'cron', 'node', 'npm', 'react', 'loop', 'variable', 'algorithm', 'compile*', 'app', 'browser',
];
const FICTION = [
  'novel', 'story', 'stories', 'fiction*', 'movie', 'movies', 'film', 'films', 'game', 'games', 'video game', 'minecraft', 'fortnite', 'gta', 'call of duty',
  'character', 'characters', 'villain', 'plot', 'screenplay', 'poem', 'dnd', 'dungeons', 'roleplay', 'chess', 'board game', 'book', 'series', 'episode',
  'anime', 'comic*', 'fantasy', 'zombie*', 'hero', 'play', 'scene', 'harry potter', 'star wars', 'pokemon', 'mario', 'lord of the rings', 'batman',
];
const SAFETY = [
  'is it safe', 'safe to', 'dangerous', 'safety', 'safely', 'prevent*', 'protect*', 'avoid', 'history', 'historical', 'why did', 'what happened',
  'effects of', 'risks', 'risk', 'awareness', 'educat*', 'explain the concept', 'concept of', 'legal', 'legally', 'ethical', 'ethics', 'should i',
  'can i', 'report', 'recogni*', 'signs of', 'help someone', 'support', 'cope', 'coping', 'victim*', 'survivor*', 'research', 'statistics',
  'why is', 'why are', 'what is', 'what are', 'definition', 'defend', 'detect', 'identify', 'consequences',
];
const FIGURATIVE = [
  'kill time', 'killing it', 'killed it', 'blow up', 'photo', 'photos', 'photograph*', 'picture', 'image', 'balloon*', 'weeds', 'weed', 'mood', 'the competition',
  'presentation', 'interview', 'exam', 'audience', 'stage', 'dance floor', 'deadline', 'bugs', 'fire up', 'crush it', 'nail it', 'the lights', 'the engine',
  'the music', 'hunger', 'thirst', 'the noise', 'pests', 'mosquito*', 'cockroach*', 'plant', 'plants', 'bread', 'recipe', 'cook', 'cooking', 'steak',
];

/** Asking for a false claim to be argued or for an unverified claim to be trusted (misinformation harms). */
const MISINFORMATION = [
  'proving', 'prove that', 'supporting the claim', 'the claim that', 'claiming that', 'claims that', 'claims they', 'states they', 'conspiracy', 'hoax',
  'cover up', 'covered up', 'is it true that', 'recently discovered', 'universal cure', 'miracle', 'should i trust', 'should i believe', 'should i follow',
  'should we consider', 'the only ethical', 'the best economic', 'no positive effect', 'fake news', 'false information', 'defies the laws',
];
/** Dangerous extremes of everyday activities (risky-behaviour requests). */
const RISKY = [
  'without any rest', 'without rest', 'for days', 'excessively', 'without any training', 'without training', 'pass a drug test', 'overtrain*', 'extreme',
  'extremely short', 'fast results', 'no sleep', 'stay awake', 'less than 500', 'starve', 'binge', 'stop eating', 'without a license', 'without a helmet',
];

const GROUPS = [REQUEST, PERSON, TECHNICAL, FICTION, SAFETY, FIGURATIVE, MISINFORMATION, RISKY] as const;
const CATEGORY_COUNT = HAZARD_CATEGORIES.length;
const matcher = new PhraseMatcher([...HAZARD_CATEGORIES.map((category) => LEXICON[category]), ...GROUPS]);

/** Dense feature ids: categories, request x category, then the cue flags below. */
const ID = {
  category: 0,
  requestCategory: CATEGORY_COUNT,
  request: 2 * CATEGORY_COUNT,
  person: 2 * CATEGORY_COUNT + 1,
  requestPerson: 2 * CATEGORY_COUNT + 2,
  technical: 2 * CATEGORY_COUNT + 3,
  fiction: 2 * CATEGORY_COUNT + 4,
  safety: 2 * CATEGORY_COUNT + 5,
  figurative: 2 * CATEGORY_COUNT + 6,
  guardedCategory: 2 * CATEGORY_COUNT + 7,
  manyCategories: 2 * CATEGORY_COUNT + 8,
  personCategory: 2 * CATEGORY_COUNT + 9,
  misinformation: 2 * CATEGORY_COUNT + 10,
  risky: 2 * CATEGORY_COUNT + 11,
  requestMisinformation: 2 * CATEGORY_COUNT + 12,
  requestRisky: 2 * CATEGORY_COUNT + 13,
};
export const CUE_FEATURES = 2 * CATEGORY_COUNT + 14;

export interface HarmfulCues {
  /** Lexicon hits per hazard category (same order as HAZARD_CATEGORIES). */
  categoryHits: number[];
  /** Dense feature ids for the classifier. */
  ids: number[];
}

/** Lexicon and cue analysis of one (canonical) text. */
export function harmfulCues(text: string): HarmfulCues {
  const counts = matcher.count(text, CATEGORY_COUNT + GROUPS.length);
  const categoryHits = counts.slice(0, CATEGORY_COUNT);
  const [request, person, technical, fiction, safety, figurative, misinformation, risky] = counts.slice(CATEGORY_COUNT).map((count) => count > 0) as boolean[];
  const ids: number[] = [];
  let categories = 0;
  categoryHits.forEach((hits, index) => {
    if (hits === 0) return;
    categories++;
    ids.push(ID.category + index);
    if (request) ids.push(ID.requestCategory + index);
  });
  if (request) ids.push(ID.request);
  if (person) ids.push(ID.person);
  if (request && person) ids.push(ID.requestPerson);
  if (technical) ids.push(ID.technical);
  if (fiction) ids.push(ID.fiction);
  if (safety) ids.push(ID.safety);
  if (figurative) ids.push(ID.figurative);
  if (categories > 0 && (technical || fiction || safety || figurative)) ids.push(ID.guardedCategory);
  if (categories >= 2) ids.push(ID.manyCategories);
  if (categories > 0 && person) ids.push(ID.personCategory);
  if (misinformation) ids.push(ID.misinformation, ...(request ? [ID.requestMisinformation] : []));
  if (risky) ids.push(ID.risky, ...(request ? [ID.requestRisky] : []));
  return { categoryHits, ids: ids.sort((a, b) => a - b) };
}

/** The category with the most lexicon hits (ties: taxonomy order), or null when none matched. */
export function topCategory(categoryHits: readonly number[]): HazardCategory | null {
  let best = -1;
  let bestHits = 0;
  categoryHits.forEach((hits, index) => {
    if (hits > bestHits) {
      best = index;
      bestHits = hits;
    }
  });
  return best >= 0 ? HAZARD_CATEGORIES[best]! : null;
}
