/**
 * data/secrets: credentials in prompts and answers — provider key formats, private keys, JWTs,
 * passwords in URLs, assignments, CLI flags and SQL, and high-entropy tokens next to a context
 * word. Runs `detectSecrets` on the original text, the canonical view (mapped back) and decoded
 * runs; proposes replacing each secret with a `<SECRET_n>` placeholder.
 */
import { z } from 'zod';
import { placeholderAllocator } from '../shared/placeholders.ts';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { patternProblem } from '../regex/compile.ts';
import { compileSecretDetector, RULE_GROUPS, type SecretDetector, type SecretFinding } from './detect.ts';

const CustomRule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lowercase letters, digits, ., - or _').describe('Stable id; findings report rule id `secrets/custom/<id>`.'),
    pattern: z.string().min(1).describe('RE2 syntax; capture group 1, when present, is the secret (the span reported and replaced).'),
    flags: z.string().regex(/^(?!.*(.).*\1)[ims]*$/, 'expected any of i, m, s, each at most once').default('').describe('`i` ignore case, `m` multi-line, `s` dot matches newlines.'),
    severity: SeveritySchema.default('high').describe('Severity of a match.'),
    description: z.string().optional().describe('What a match means; used in the finding message.'),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const problem = patternProblem(rule.id, rule.pattern, rule.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

/** Configuration of data/secrets. */
export const SecretsConfig = z
  .object({
    groups: z
      .array(z.enum(RULE_GROUPS))
      .default([...RULE_GROUPS])
      .describe('Rule groups to run: `providers` (vendor key formats), `private-keys` (PEM), `jwt`, `connection-strings` (URLs with passwords), `passwords` (named values, CLI flags, SQL, auth headers), `entropy` (high-entropy tokens by a context word, key-material lines).'),
    minEntropy: z.number().min(0).max(8).default(3).describe('Minimum Shannon entropy (bits per character) of a named token value; the context-word entropy rule uses at least 3.5.'),
    allowList: z
      .object({
        strings: z.array(z.string().min(1)).default([]).describe('Values never reported (exact match), e.g. a published test key.'),
        patterns: z
          .array(z.string().min(1))
          .default([])
          .superRefine((patterns, ctx) => {
            patterns.forEach((pattern, index) => {
              const problem = patternProblem(`allowList.patterns[${index}]`, pattern, '');
              if (problem) ctx.addIssue({ code: 'custom', path: [index], message: problem });
            });
          })
          .describe('RE2 patterns; a value that matches one entirely is never reported.'),
      })
      .strict()
      .default({ strings: [], patterns: [] })
      .describe('Known-safe values.'),
    customRules: z.array(CustomRule).default([]).describe('Extra RE2 rules for in-house secret formats.'),
    scanCanonical: z.boolean().default(true).describe('Also scan the canonical view (hidden characters removed, homoglyphs folded), mapped back to the original.'),
    scanDecoded: z.boolean().default(true).describe('Also scan decoded base64/hex/URL runs; a secret there reports and replaces the whole run.'),
    maxFindings: z.number().int().min(1).max(100_000).default(1000).describe('Most findings reported per scan (redaction edits are never capped).'),
  })
  .strict();
export type SecretsConfig = z.output<typeof SecretsConfig>;

function messageFor(finding: SecretFinding, messages: ReadonlyMap<string, string>, where = ''): string {
  const name = messages.get(finding.ruleId) ?? finding.ruleId.slice('secrets/'.length).replace(/-/g, ' ');
  return `Possible secret: ${name}${where}`;
}

function scanSegment(detector: SecretDetector, config: SecretsConfig, segment: ScanSegment, collector: FindingCollector, context: ScanContext, messages: ReadonlyMap<string, string>): void {
  const text = segment.text;
  const allocator = placeholderAllocator(context.state);
  const report = (finding: SecretFinding, start: number, end: number, value: string, where = ''): void => {
    const replacement = allocator.placeholderFor('SECRET', value);
    collector.add({ ruleId: finding.ruleId, message: messageFor(finding, messages, where), severity: finding.severity, score: finding.score, segmentId: segment.id, span: [start, end], evidence: finding.evidence }, replacement);
  };
  for (const finding of detector.detect(text)) report(finding, finding.start, finding.end, text.slice(finding.start, finding.end));
  const canonical = segment.canonical;
  if (config.scanCanonical && canonical.text !== text) {
    for (const finding of detector.detect(canonical.text)) {
      const [from, to] = canonical.toOriginal(finding.start, finding.end);
      const start = Math.max(0, Math.min(from, text.length));
      const end = Math.max(start, Math.min(to, text.length));
      report(finding, start, end, canonical.text.slice(finding.start, finding.end));
    }
  }
  if (!config.scanDecoded) return;
  for (const run of canonical.decoded) {
    if (run.start < 0 || run.end > text.length || run.start >= run.end) continue;
    for (const finding of detector.detect(run.text)) report(finding, run.start, run.end, text.slice(run.start, run.end), ` (in ${run.encoding}-decoded text)`);
  }
}

/** Secrets scanner definition. */
export const secretsScanner = defineScanner({
  id: 'data/secrets',
  description:
    'Finds credentials: provider key formats (cloud, source hosting, payments, messaging, AI providers), PEM private keys, JWTs with a JSON header and payload, ' +
    'passwords in URLs, named secrets in code/config/CLI/SQL, and high-entropy tokens next to a context word, with placeholder, example and sequence filters. ' +
    'One finding per secret (rule id `secrets/<name>`, score = the rule\'s confidence, evidence = the format prefix at most) with a proposed `<SECRET_n>` replacement. ' +
    'Outcome: fail if any finding is high or critical, flag if any is low or medium, else pass; score: the highest finding score, 0 when none.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: SecretsConfig,
  create(config) {
    const detector = compileSecretDetector({
      groups: config.groups,
      minEntropy: config.minEntropy,
      allowStrings: config.allowList.strings,
      allowPatterns: config.allowList.patterns,
      customRules: config.customRules.map((rule) => ({ id: rule.id, pattern: rule.pattern, flags: rule.flags, severity: rule.severity, ...(rule.description ? { description: rule.description } : {}) })),
    });
    const messages = new Map(config.customRules.filter((rule) => rule.description).map((rule) => [`secrets/custom/${rule.id}`, rule.description!]));
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          scanSegment(detector, config, segment, collector, context, messages);
        }
        return collector.result();
      },
    };
  },
});
