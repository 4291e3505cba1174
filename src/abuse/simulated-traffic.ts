import { existsSync, readFileSync } from 'node:fs';
import { seededRandom } from '../text/seeded-random.ts';

/** Seeded traffic for the detector's tests: an extraction campaign and busy legitimate keys. */


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

/** Benign prompts (label 0) of the shared prompt-injection set, seeded sample; null when the file is absent. */
export function benignDatasetSample(count: number, path = '/work/shared/data/prompt-injection/train.jsonl', seed = 11): string[] | null {
  if (!existsSync(path)) return null;
  const benign: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { text?: unknown; label?: unknown };
    if (row.label === 0 && typeof row.text === 'string') benign.push(row.text);
  }
  const random = seededRandom(seed);
  for (let index = benign.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [benign[index], benign[other]] = [benign[other]!, benign[index]!];
  }
  return benign.slice(0, count);
}
