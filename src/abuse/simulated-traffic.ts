import type { AbuseDetector } from './detector.ts';
import { seededRandom } from '../text/seeded-random.ts';

/** Seeded traffic for the detector's tests and `npm run bench:abuse`: an extraction campaign, busy legitimate keys, and a driver. */


const vocabulary = 'apple river window mountain friendship library candle thunder garden bicycle ocean whisper harvest lantern meadow castle pencil journey mirror forest blanket rocket island violin shadow bridge compass feather glacier honey jacket kettle ladder marble needle orchard pillow quilt saddle tunnel umbrella valley wagon yarn zebra anchor basket cactus dolphin engine falcon'.split(' ');
const languages = ['French', 'German', 'Spanish', 'Italian', 'Portuguese', 'Dutch', 'Swedish', 'Polish', 'Turkish', 'Greek', 'Finnish', 'Czech'];

/**
 * A model-extraction campaign: systematic sweeps of a few templates that probe one capability
 * (translation and arithmetic), slot values enumerated in order.
 */
export function extractionCampaign(count: number): string[] {
  const templates: ((i: number) => string)[] = [
    (i) => `Translate the word ${vocabulary[i % vocabulary.length]} into ${languages[Math.floor(i / vocabulary.length) % languages.length]}.`,
    (i) => `What is ${10 + (i % 90)} + ${Math.floor(i / 90) + 3}?`,
    (i) => `Give the ${languages[i % languages.length]} translation of "${vocabulary[Math.floor(i / languages.length) % vocabulary.length]}".`,
    (i) => `What is ${2 + (i % 50)} times ${Math.floor(i / 50) + 7}?`,
  ];
  return Array.from({ length: count }, (_, i) => templates[i % templates.length]!(Math.floor(i / templates.length)));
}

const topics = ['sourdough bread', 'the French revolution', 'photosynthesis', 'a job interview', 'Kubernetes networking', 'marathon training', 'tax deductions for freelancers', 'the Roman empire', 'quantum entanglement', 'a wedding toast', 'climate adaptation', 'React hooks', 'jazz harmony', 'composting at home', 'the stock market', 'learning Japanese', 'a birthday party', 'black holes', 'SQL indexes', 'houseplants', 'medieval castles', 'electric cars', 'sleep hygiene', 'the Pythagorean theorem', 'supply chains', 'vegan desserts', 'password managers', 'Renaissance painting', 'volcanoes', 'negotiating a salary', 'chess openings', 'bird migration', 'Rust ownership', 'meal prep', 'ancient Egypt', 'budget travel in Asia', 'public speaking', 'coral reefs', 'unit testing', 'the immune system'];
const shapes: ((topic: string, r: () => number) => string)[] = [
  (t) => `Can you explain ${t} to a beginner?`,
  (t) => `Write a short poem about ${t}.`,
  (t) => `What are the most common mistakes people make with ${t}?`,
  (t) => `I have a meeting tomorrow about ${t}; give me three talking points.`,
  (t) => `Summarise the history of ${t} in one paragraph.`,
  (t) => `My friend says ${t} is overrated. How would you respond?`,
  (t, r) => `List ${3 + Math.floor(r() * 5)} surprising facts about ${t}.`,
  (t) => `How would you teach ${t} to a ten year old?`,
  (t) => `Draft an email to my team announcing a workshop on ${t}.`,
  (t) => `Compare two popular approaches to ${t} and recommend one.`,
  (t) => `What books or resources do you recommend for ${t}?`,
  (t) => `Give me a step by step plan to get better at ${t} this month.`,
  (t) => `Write a tweet that makes ${t} sound exciting.`,
  (t) => `What questions should I ask an expert in ${t}?`,
  (t) => `Is it worth spending money on ${t}? Give pros and cons.`,
  (t) => `Create a quiz with answers about ${t}.`,
];
const openers = ['', 'Quick question: ', 'Hi! ', 'Thanks for the help earlier. ', 'For a school project, ', 'Honestly curious: ', 'Please be concise. '];

/** A busy legitimate key: a seeded mix of many phrasings, topics and openers. */
export function legitimateTraffic(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, () => `${pick(openers)}${pick(shapes)(pick(topics), random)}`);
}

/** How one key fared when driven through a detector: when it was first flagged and throttled, and the share of requests at each level. */
export interface DriveResult {
  firstFlag: number | null;
  firstThrottle: number | null;
  flagRate: number;
  throttleRate: number;
  maxScore: number;
  escalations: string[];
}

/** Drives one key through `detector` at a fixed pace (answers a little longer than the questions, as chat answers are). */
export function driveKey(detector: AbuseDetector, prompts: readonly string[], options: { gapMs: number; key?: string; startMs?: number }): DriveResult {
  const key = options.key ?? 'key_a';
  const t0 = options.startMs ?? Date.parse('2030-01-01T00:00:00Z');
  let firstFlag: number | null = null;
  let firstThrottle: number | null = null;
  let flagged = 0;
  let throttled = 0;
  let maxScore = 0;
  const escalations: string[] = [];
  prompts.forEach((prompt, index) => {
    const now = t0 + index * options.gapMs;
    const assessment = detector.observe(key, prompt, now);
    detector.recordOutcome(key, { inputTokens: 12 + (prompt.length >> 2), outputTokens: 40, blocked: false }, now + 5);
    if (assessment.escalated) escalations.push(`${assessment.escalated}@${index + 1}`);
    const throttling = assessment.level === 'throttle' || assessment.level === 'suspend';
    if (assessment.level !== 'none') flagged += 1;
    if (throttling) throttled += 1;
    if (assessment.level !== 'none' && firstFlag === null) firstFlag = index + 1;
    if (throttling && firstThrottle === null) firstThrottle = index + 1;
    maxScore = Math.max(maxScore, assessment.score);
  });
  return { firstFlag, firstThrottle, flagRate: flagged / prompts.length, throttleRate: throttled / prompts.length, maxScore, escalations };
}
