/**
 * safety/topics: banned topics and off-topic use. Topics are described in the policy by keywords
 * and example phrases and scored lexically (model.ts); a banned topic at or above its threshold is
 * a finding, and with `allowedTopics` a text that matches none of them is off-topic. Topics marked
 * `judge: true` send uncertain scores to the LLM judge (judge.ts).
 */
import { z } from 'zod';
import { requireJudge } from '../shared/judge.ts';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { defineScanner, type JudgeClient, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { tokenize } from './lexical.ts';
import { compileTopic, scoreTopics, windowsOf, type CompiledTopic, type TopicScore } from './model.ts';
import { judgeTopics } from './judge.ts';

const TopicName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, - or _ (at most 64), e.g. medical-advice');

const TopicFields = {
  name: TopicName.describe('Stable topic name; findings are reported as `topics/<name>`.'),
  keywords: z.array(z.string().min(1).max(200)).max(1000).default([]).describe('Words or phrases of the topic, matched as whole words after case folding; a trailing `*` matches any ending (`diagnos*`). Each distinct keyword found raises the score (1 hit 0.4, 2 hits 0.64, 3 hits 0.78, ...).'),
  examples: z.array(z.string().min(1).max(2000)).max(500).default([]).describe('Example phrases of the topic; a text window similar to one of them (hashed word and character n-gram cosine) scores high.'),
  threshold: z.number().min(0).max(1).default(0.5).describe('Least lexical score (0-1) at which a text is on this topic.'),
};

const BannedTopic = z
  .object({
    ...TopicFields,
    severity: SeveritySchema.default('high').describe('Severity of a finding of this topic.'),
    judge: z.boolean().default(false).describe('Send uncertain scores (within judgeMargin of the threshold) to the LLM judge (top-level `judge` must be set); its verdict decides.'),
  })
  .strict()
  .refine((topic) => topic.keywords.length + topic.examples.length > 0, { message: 'expected at least one keyword or example' });
export type BannedTopic = z.output<typeof BannedTopic>;

const AllowedTopic = z
  .object({ ...TopicFields, threshold: TopicFields.threshold.default(0.3) })
  .strict()
  .refine((topic) => topic.keywords.length + topic.examples.length > 0, { message: 'expected at least one keyword or example' });

const Origin = z.enum(['system', 'user', 'assistant', 'tool', 'document']);

export const TopicsConfig = z
  .object({
    topics: z.array(BannedTopic).max(200).default([]).describe('Banned topics, each `{name, keywords, examples, threshold, severity, judge}`; a text on one is a `topics/<name>` finding.'),
    allowedTopics: z.array(AllowedTopic).max(200).default([]).describe('What this use case is for, described the same way (threshold default 0.3); a text on none of them is a `topics/off-topic` finding. Empty: no off-topic check.'),
    offTopicSeverity: SeveritySchema.default('medium').describe('Severity of a `topics/off-topic` finding.'),
    offTopicMinWords: z.number().int().min(1).max(1000).default(4).describe('Texts with fewer words ("thanks!", "hi") are never off-topic.'),
    origins: z.array(Origin).default(['user', 'assistant', 'tool', 'document']).describe('Segment origins checked (the system prompt is left out by default: it names banned topics to forbid them).'),
    judgeMargin: z.number().min(0).max(0.5).default(0.15).describe('Scores within this distance of a judged topic\'s threshold are uncertain and go to the judge.'),
    maxChars: z.number().int().min(100).max(10_000_000).default(50_000).describe('Only the first this many characters of a segment are scored (bounds cost on huge inputs).'),
    maxFindings: z.number().int().min(1).max(10_000).default(100).describe('Most findings reported per scan.'),
  })
  .strict();
export type TopicsConfig = z.output<typeof TopicsConfig>;

/** A finding score in [0.5, 1] for a lexical score at or above the topic's threshold: the threshold maps to 0.5 (the instance default). */
export function findingScore(score: number, threshold: number): number {
  const value = threshold >= 1 ? 1 : 0.5 + (0.5 * Math.max(0, score - threshold)) / (1 - threshold);
  return Math.round(Math.min(1, value) * 1000) / 1000;
}

interface Candidate {
  segment: ScanSegment;
  topic: CompiledTopic<BannedTopic>;
  score: TopicScore;
}

export const topicsScanner = defineScanner({
  id: 'safety/topics',
  description:
    'Banned topics and off-topic use, from topics described in the policy by keywords and example phrases. A text is cut into windows of a few sentences; a window scores 1 - (1-k)(1-s) with k = 1 - 0.6^(distinct keywords found, whole words, case-folded) and s = its best hashed word/character n-gram cosine with an example, rescaled. ' +
    'A banned topic at or above its threshold is a `topics/<name>` finding on the best window; with `allowedTopics`, a text of at least offTopicMinWords words that reaches no allowed topic\'s threshold is `topics/off-topic` (whole segment). Finding scores map the topic threshold to 0.5 and certainty to 1. ' +
    'Topics with `judge: true` send scores within judgeMargin of the threshold to the LLM judge, whose verdict keeps or drops the finding (a failed judge keeps the lexical decision and adds a note). Outcome: fail if any finding is high or critical, flag if low or medium, else pass; score: the highest finding score.',
  phases: ['request', 'response'],
  configSchema: TopicsConfig,
  create(config, deps) {
    const names = new Set<string>();
    for (const topic of [...config.topics, ...config.allowedTopics]) {
      if (names.has(topic.name)) throw new Error(`topics: duplicate topic name "${topic.name}"; every banned and allowed topic needs its own name`);
      names.add(topic.name);
    }
    const banned = config.topics.map((topic) => compileTopic(topic));
    const allowed = config.allowedTopics.map((topic) => compileTopic(topic));
    const judge: JudgeClient | null = config.topics.some((topic) => topic.judge) ? requireJudge(deps, 'safety/topics with judge: true') : null;
    const origins = new Set<string>(config.origins);

    return {
      async scan(input: ScanInput, context: ScanContext): Promise<ScanResult> {
        const collector = new FindingCollector(config.maxFindings);
        const uncertain: Candidate[] = [];
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          if (!origins.has(segment.origin)) continue;
          const text = segment.canonical.text.length > config.maxChars ? segment.canonical.text.slice(0, config.maxChars) : segment.canonical.text;
          const tokens = tokenize(text);
          if (tokens.length === 0) continue;
          const windows = windowsOf(text, tokens);
          const span = (start: number, end: number): [number, number] => {
            const [from, to] = segment.canonical.toOriginal(start, end);
            const a = Math.max(0, Math.min(from, segment.text.length));
            return [a, Math.max(a, Math.min(to, segment.text.length))];
          };
          scoreTopics(banned, tokens, windows).forEach((score, index) => {
            const topic = banned[index]!;
            const threshold = topic.spec.threshold;
            if (topic.spec.judge && judge && Math.abs(score.score - threshold) < config.judgeMargin) {
              uncertain.push({ segment, topic, score });
              return;
            }
            if (score.score < threshold) return;
            collector.add(topicFinding(segment, topic, score, span(score.start, score.end)));
          });
          if (allowed.length > 0 && tokens.length >= config.offTopicMinWords) {
            const scores = scoreTopics(allowed, tokens, windows);
            const onTopic = scores.some((score, index) => score.score >= allowed[index]!.spec.threshold);
            if (!onTopic) {
              // How far below its threshold the closest allowed topic stays: 0.5 just below, 1 for no overlap at all.
              const closeness = Math.max(...scores.map((score, index) => score.score / Math.max(1e-9, allowed[index]!.spec.threshold)));
              const value = Math.round((0.5 + 0.5 * (1 - Math.min(1, closeness))) * 1000) / 1000;
              collector.add({ ruleId: 'topics/off-topic', message: `The text matches none of the allowed topics (${allowed.map((topic) => topic.spec.name).join(', ')})`, severity: config.offTopicSeverity, score: value, segmentId: segment.id, span: [0, segment.text.length], evidence: `closest allowed topic at ${Math.round(Math.min(1, closeness) * 100)}% of its threshold` });
            }
          }
        }
        const notes: string[] = [];
        if (uncertain.length > 0 && judge) {
          const verdicts = await judgeTopics(judge, uncertain, context.signal, deps.logger);
          notes.push(...verdicts.notes);
          uncertain.forEach((candidate, index) => {
            const verdict = verdicts.matched[index];
            const [from, to] = candidate.segment.canonical.toOriginal(candidate.score.start, candidate.score.end);
            const span: [number, number] = [Math.max(0, Math.min(from, candidate.segment.text.length)), Math.max(0, Math.min(to, candidate.segment.text.length))];
            // No verdict: the lexical decision stands. A verdict decides either way.
            const onTopic = verdict === undefined ? candidate.score.score >= candidate.topic.spec.threshold : verdict.matched;
            if (!onTopic) return;
            const finding = topicFinding(candidate.segment, candidate.topic, candidate.score, span);
            if (verdict?.matched) {
              finding.score = Math.max(finding.score, Math.round(verdict.confidence * 1000) / 1000);
              finding.message += ` (LLM judge, confidence ${verdict.confidence.toFixed(2)})`;
            }
            collector.add(finding);
          });
        }
        const result = collector.result();
        if (notes.length > 0) result.notes = notes;
        return result;
      },
    };
  },
});

function topicFinding(segment: ScanSegment, topic: CompiledTopic<BannedTopic>, score: TopicScore, span: [number, number]) {
  return {
    ruleId: `topics/${topic.spec.name}`,
    message: `Banned topic "${topic.spec.name}" (lexical score ${score.score.toFixed(2)}, ${score.keywordHits} keyword(s), example similarity ${score.similarity.toFixed(2)})`,
    severity: topic.spec.severity,
    score: findingScore(score.score, topic.spec.threshold),
    segmentId: segment.id,
    span,
    evidence: `topic ${topic.spec.name}: ${score.keywordHits} keyword(s), similarity ${score.similarity.toFixed(2)}`,
  };
}
