/**
 * The optional LLM-judge layer of safety/topics: uncertain (segment, topic) pairs go to the judge,
 * one call per segment, with its uncertain topics as numbered rules (the custom-judge prompt: rules trusted,
 * text only in a tagged data block) and a strict JSON answer. A failed or unparseable answer gives
 * no verdict, so the lexical decision stands, and a note says so.
 */
import type { Logger } from 'pino';
import { customJudgePrompt, parseCustomVerdict } from '../custom-judge/prompt.ts';
import { judgeFailure } from '../shared/judge.ts';
import type { JudgeClient, ScanSegment } from '../types.ts';
import type { BannedTopic } from './index.ts';
import type { CompiledTopic } from './model.ts';
import type { CancelSignal } from '../../runtime/cancel-signal.ts';

export interface JudgeCandidate {
  segment: ScanSegment;
  topic: CompiledTopic<BannedTopic>;
}

export interface TopicVerdicts {
  /** Per candidate (same order): the judge's verdict, or undefined when it gave none. */
  matched: ({ matched: boolean; confidence: number } | undefined)[];
  notes: string[];
}

const quote = (text: string, limit: number): string => `"${text.length > limit ? `${text.slice(0, limit)}…` : text}"`;

/** The rule text the judge sees for a topic: its name, a few examples and keywords (operator-written, trusted). */
export function topicRule(topic: BannedTopic): string {
  const parts = [`The material discusses, asks about or gives content on the topic "${topic.name}".`];
  if (topic.examples.length > 0) parts.push(`Examples: ${topic.examples.slice(0, 3).map((example) => quote(example, 100)).join('; ')}.`);
  if (topic.keywords.length > 0) parts.push(`Typical words: ${topic.keywords.slice(0, 10).join(', ')}.`);
  return parts.join(' ').slice(0, 500);
}

/** Most segments of one scan sent to the judge; the others keep their lexical decision. */
export const MAX_JUDGED_SEGMENTS = 8;

/** One judge call per segment with uncertain topics (at most MAX_JUDGED_SEGMENTS, in parallel), all its uncertain topics as rules. */
export async function judgeTopics(judge: JudgeClient, candidates: readonly JudgeCandidate[], signal: CancelSignal, logger: Logger): Promise<TopicVerdicts> {
  const matched: TopicVerdicts['matched'] = candidates.map(() => undefined);
  const notes: string[] = [];
  const segments = [...new Set(candidates.map((candidate) => candidate.segment))];
  if (segments.length > MAX_JUDGED_SEGMENTS) notes.push(`${segments.length - MAX_JUDGED_SEGMENTS} segment(s) with uncertain topic scores not judged (at most ${MAX_JUDGED_SEGMENTS} per scan); lexical decision kept`);
  await Promise.all(
    segments.slice(0, MAX_JUDGED_SEGMENTS).map(async (segment) => {
      const mine = candidates.map((candidate, index) => ({ candidate, index })).filter((entry) => entry.candidate.segment === segment);
      const topics = mine.map((entry) => entry.candidate.topic.spec);
      const { system, user } = customJudgePrompt(topics.map((topic) => ({ id: topic.name, description: topicRule(topic) })), [{ role: segment.origin, text: segment.canonical.text }]);
      let answer: string;
      try {
        answer = await judge.complete({ system, user, maxTokens: 16 + topics.length * 24, signal });
      } catch (error) {
        const reason = judgeFailure(error, signal);
        logger.warn({ scanner: 'safety/topics', segment: segment.id, reason }, 'LLM judge gave no verdict; lexical topic scores kept');
        notes.push(`judge ${reason} on segment ${segment.id}; lexical decision kept for ${topics.length} topic(s)`);
        return;
      }
      const matches = parseCustomVerdict(answer, new Set(topics.map((topic) => topic.name)), 1);
      if (matches === null) {
        notes.push(`judge answer on segment ${segment.id} was not a verdict (unknown); lexical decision kept`);
        return;
      }
      for (const { candidate, index } of mine) {
        const match = matches.find((item) => item.id === candidate.topic.spec.name);
        matched[index] = match ? { matched: true, confidence: match.confidence } : { matched: false, confidence: 0 };
      }
      notes.push(`judge on segment ${segment.id}: ${matches.length} of ${topics.length} uncertain topic(s) on topic`);
    }),
  );
  return { matched, notes: notes.sort() };
}
