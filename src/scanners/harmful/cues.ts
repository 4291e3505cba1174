/**
 * The harmful classifier's features beyond n-grams: which hazard categories the lexicon finds,
 * whether the text is a request (imperative or "how do I"), whether it targets a person, and
 * guards learned from hard negatives (technical homonyms such as "kill a process", fiction and
 * games, safety/education questions, figurative use), misinformation and risky-behaviour cues,
 * the manner of an act (covert, vengeful, evasive), a stated benign purpose, personal advice,
 * false premises and private facts about a person, and the shape of the request (`shape.ts`:
 * opening and closing words, length). Each is a dense feature id after the hashed buckets, and
 * the co-occurrences (request x category, category x guard) are features of their own, so the
 * model learns that "how do I kill" is harmful next to "my neighbour" and not next to "Python
 * process". Training and inference share `harmfulCues`.
 */
import { HAZARD_CATEGORIES, LEXICON, type HazardCategory } from './lexicon.ts';
import { PhraseMatcher } from './phrases.ts';
import { SHAPE_BITS, shapeOfWords } from './shape.ts';
import { scanLoweredWords } from '../injection/features.ts';

/** Bump when a phrase list or feature id changes: the model must then be retrained. */
export const CUES_VERSION = 'harmful-cues/5';

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
  'anime', 'comic*', 'hypothetical*', 'pretend', 'role play', 'fantasy', 'zombie*', 'hero', 'play', 'scene', 'harry potter', 'star wars', 'pokemon', 'mario', 'lord of the rings', 'batman',
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

/** The manner of a harmful act: covert, vengeful, evading rules or detection. */
const INTENT = [
  'without getting caught', 'without being caught', 'get away with', 'without anyone knowing', 'without them knowing', 'without him knowing', 'without her knowing',
  'without their knowledge', 'without their consent', 'without permission', 'secretly', 'covertly', 'undetected', 'undetectable', 'untraceable', 'anonymously',
  'revenge', 'get back at', 'make them suffer', 'make him suffer', 'make her suffer', 'afraid of me', 'terroriz*', 'humiliat*', 'left out', 'make someone feel',
  'evade', 'evading', 'bypass*', 'illegally', 'black market', 'counterfeit*', 'forge', 'forged', 'forging', 'lure', 'trick someone', 'trick people', 'deceive', 'scam*',
  'exploit*', 'sabotag*', 'destroy', 'ruin', 'hurt', 'harm', 'poison*', 'cheat', 'steal*', 'hack*', 'break into', 'spy', 'hide from', 'hide money', 'launder*',
];
/** A stated benign purpose: accuracy, awareness, defence, support, education, play. */
const PURPOSE = [
  'awareness', 'accurate', 'true information', 'factual', 'debunk*', 'combat', 'counter', 'fight against', 'affirm*', 'supportive', 'inclusive', 'respectful',
  'understanding', 'safeguard*', 'secure', 'securing', 'harm reduction', 'deal with', 'school project', 'role playing game', 'mock', 'toy', 'legitimate',
  'responsibly', 'responsible', 'ethically', 'positive', 'celebrat*', 'promote', 'encourage', 'kindness', 'respect', 'healthy', 'sustainabl*', 'strong password',
  'help a friend', 'help my friend', 'support my', 'a friend who', 'hotline', 'helpline', 'seek help', 'get help', 'therapist', 'counsel*', 'crisis line', 'talk to',
  'discourage', 'verify', 'fact check', 'stop someone', 'warning signs',
];
/** Personal health, legal or money decisions asked of the assistant (specialised advice). */
const ADVICE = [
  'do i have', 'should i take', 'should i stop', 'should i invest', 'how should i invest', 'induce vomit*', 'on myself', 'my own',
  'my symptoms', 'i m experiencing', 'i have been feeling', 'i ve been feeling', 'am i', 'my child swallowed', 'my doctor', 'without a doctor', 'without seeing a doctor',
  'instead of going to', 'self medicat*', 'self treat*', 'home remedy', 'diagnose me',
];
/** A false premise presented as settled fact (misinformation). */
const PREMISE = [
  'since all', 'since the world', 'since artificial intelligence', 'since ai', 'became self aware', 'became smarter than', 'discovery of', 'officially announce*',
  'complete melting', 'as i heard', 'i heard that', 'i heard', 'rumor*', 'rumour*', 'is it true', 'heard rumors', 'they say that', 'proven that', 'everyone knows',
];
/** Personal facts about a named or specific person (privacy). */
const PRIVATE = [
  'religious views', 'religious beliefs', 'sexual orientation', 'net worth', 'medical history', 'medical condition', 'home address', 'criminal record', 'salary',
  'phone number', 'location coordinates', 'current location', 'where is', 'email address', 'names and addresses', 'bank account', 'account information',
  'social security', 'date of birth', 'health condition', 'political views', 'love life', 'affair', 'dating history', 'password', 'passwords', 'recent picture',
];

const GROUPS = [REQUEST, PERSON, TECHNICAL, FICTION, SAFETY, FIGURATIVE, MISINFORMATION, RISKY, INTENT, PURPOSE, ADVICE, PREMISE, PRIVATE] as const;
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
  intent: 2 * CATEGORY_COUNT + 14,
  requestIntent: 2 * CATEGORY_COUNT + 15,
  intentPerson: 2 * CATEGORY_COUNT + 16,
  purpose: 2 * CATEGORY_COUNT + 17,
  advice: 2 * CATEGORY_COUNT + 18,
  requestAdvice: 2 * CATEGORY_COUNT + 19,
  premise: 2 * CATEGORY_COUNT + 20,
  private: 2 * CATEGORY_COUNT + 21,
  privatePerson: 2 * CATEGORY_COUNT + 22,
  requestPrivate: 2 * CATEGORY_COUNT + 23,
  /** A request with a hazard phrase or a harmful manner and no guard (no safety, purpose, technical, fiction or figurative cue). */
  bareRequestCategory: 2 * CATEGORY_COUNT + 24,
  bareRequestIntent: 2 * CATEGORY_COUNT + 25,
  /** Then one block per context below, crossed with each hit category (fiction guards violence, not sexual content). */
  contextCategory: 2 * CATEGORY_COUNT + 26,
};
/** The dense cue ids, for tests. */
export const CUE_IDS: Readonly<typeof ID> = ID;
/** Contexts crossed with each category: intent, fiction, technical, safety or purpose, figurative, person. */
const CONTEXTS = 6;
/** The dense cue flags end here; the hashed shape block (`shape.ts`: opening words, closing words, length) follows. */
const SHAPE_START = ID.contextCategory + CONTEXTS * CATEGORY_COUNT;
export const CUE_FEATURES = SHAPE_START + (1 << SHAPE_BITS);
/** Cue ids below this are hazard-category hits: a text with one is topical (`HeadsFile.topicFeatures`). */
export const TOPIC_FEATURES = CATEGORY_COUNT;

export interface HarmfulCues {
  /** Lexicon hits per hazard category (same order as HAZARD_CATEGORIES). */
  categoryHits: number[];
  /** Dense feature ids for the classifier (cue flags, then the hashed shape block). */
  ids: number[];
}

/** Lexicon and cue analysis of one (canonical) text. */
export function harmfulCues(text: string): HarmfulCues {
  // One word scan serves the phrase matcher and the shape features (neither scans again in between).
  const scan = scanLoweredWords(text.toLowerCase());
  const counts = matcher.countWords(scan, CATEGORY_COUNT + GROUPS.length);
  const shape = shapeOfWords(scan);
  const categoryHits = counts.slice(0, CATEGORY_COUNT);
  const [request, person, technical, fiction, safety, figurative, misinformation, risky, intent, purpose, advice, premise, privateFacts] = counts.slice(CATEGORY_COUNT).map((count) => count > 0) as boolean[];
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
  if (intent) ids.push(ID.intent, ...(request ? [ID.requestIntent] : []), ...(person ? [ID.intentPerson] : []));
  if (purpose) ids.push(ID.purpose);
  if (advice) ids.push(ID.advice, ...(request ? [ID.requestAdvice] : []));
  if (premise) ids.push(ID.premise);
  if (privateFacts) ids.push(ID.private, ...(person ? [ID.privatePerson] : []), ...(request ? [ID.requestPrivate] : []));
  const guarded = safety || purpose || technical || fiction || figurative;
  if (request && !guarded && categories > 0) ids.push(ID.bareRequestCategory);
  if (request && !guarded && intent) ids.push(ID.bareRequestIntent);
  const contexts = [intent, fiction, technical, safety || purpose, figurative, person];
  categoryHits.forEach((hits, index) => {
    if (hits > 0) contexts.forEach((on, k) => on && ids.push(ID.contextCategory + k * CATEGORY_COUNT + index));
  });
  for (const id of shape) ids.push(SHAPE_START + id);
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
