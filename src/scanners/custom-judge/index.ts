/**
 * ai/custom-judge: natural-language rules ("block requests asking for our unreleased product roadmap")
 * checked by the LLM judge, once per scan with every rule and every segment. Needs `judge.model`.
 */
import { z } from 'zod';
import { outcomeOf, SeveritySchema } from '../shared/result.ts';
import { judgeFailure, requireJudge } from '../shared/judge.ts';
import { defineScanner, type Finding } from '../types.ts';
import { customJudgePrompt, parseCustomVerdict } from './prompt.ts';

const Rule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, - or _ (at most 64)').describe('Stable rule id; findings are reported as `custom/<id>`.'),
    description: z.string().min(8).max(500).describe('What the rule catches, in plain language, e.g. "block requests asking for our unreleased product roadmap".'),
    severity: SeveritySchema.default('high').describe('Severity of a finding of this rule (high and critical make the outcome fail).'),
  })
  .strict();

export const CustomJudgeConfig = z
  .object({
    rules: z.array(Rule).max(50).default([]).describe('The rules the judge checks, numbered in its prompt in this order (at least one is needed).'),
    minConfidence: z.number().min(0).max(1).default(0.5).describe('Matches the judge reports with less confidence than this are dropped.'),
  })
  .strict();
export type CustomJudgeConfig = z.output<typeof CustomJudgeConfig>;

/** Most tokens of one answer: room for every rule with its confidence and segment list. */
const tokensFor = (rules: number): number => 16 + rules * 24;

export const customJudgeScanner = defineScanner({
  id: 'ai/custom-judge',
  description:
    'Checks natural-language rules with the LLM judge (top-level `judge`): one judge call per scan with all rules numbered and the segments as untrusted data in a tagged block, answered as strict JSON. ' +
    'One finding `custom/<rule id>` per matched rule and named segment (whole segment span; every scanned segment when the judge names none), score = the judge\'s confidence, severity from the rule. ' +
    'Outcome: fail if a high or critical rule matched, flag for low or medium, else pass. A judge timeout, error or unparseable answer throws, so the instance `onError` decides (block by default).',
  phases: ['request', 'response'],
  configSchema: CustomJudgeConfig,
  create(config, deps) {
    const judge = requireJudge(deps, 'ai/custom-judge');
    if (config.rules.length === 0) throw new Error('rules is empty; expected at least one rule {id, description}');
    const seen = new Set<string>();
    for (const rule of config.rules) {
      if (seen.has(rule.id)) throw new Error(`rules: duplicate rule id "${rule.id}"; every rule needs its own id`);
      seen.add(rule.id);
    }
    const byId = new Map(config.rules.map((rule) => [rule.id, rule]));
    return {
      async scan(input, context) {
        const segments = input.segments.filter((segment) => segment.canonical.text.trim() !== '');
        if (segments.length === 0) return { outcome: 'pass', score: 0, findings: [] };
        context.signal.throwIfAborted();
        const { system, user } = customJudgePrompt(config.rules, segments.map((segment) => ({ role: segment.origin, text: segment.canonical.text })));
        let answer: string;
        try {
          answer = await judge.complete({ system, user, maxTokens: tokensFor(config.rules.length), signal: context.signal });
        } catch (error) {
          const reason = judgeFailure(error, context.signal);
          deps.logger.warn({ scanner: 'ai/custom-judge', reason }, 'LLM judge gave no verdict');
          throw new Error(`LLM judge ${reason}: no verdict on the custom rules`);
        }
        const matches = parseCustomVerdict(answer, seen, segments.length);
        if (matches === null) {
          deps.logger.warn({ scanner: 'ai/custom-judge', reason: 'unparseable' }, 'LLM judge answer was not a verdict');
          throw new Error('LLM judge answer was not the JSON verdict asked for (unknown)');
        }
        const findings: Finding[] = [];
        let score = 0;
        for (const match of matches) {
          if (match.confidence < config.minConfidence) continue;
          const rule = byId.get(match.id)!;
          score = Math.max(score, match.confidence);
          const targets = match.segments.length > 0 ? match.segments.map((index) => segments[index]!) : segments;
          for (const segment of targets) {
            findings.push({ ruleId: `custom/${rule.id}`, message: `Custom rule "${rule.id}" matched (LLM judge, confidence ${match.confidence.toFixed(2)})`, severity: rule.severity, score: match.confidence, segmentId: segment.id, span: [0, segment.text.length], evidence: `rule ${rule.id}` });
          }
        }
        return { outcome: outcomeOf(findings), score, findings };
      },
    };
  },
});
