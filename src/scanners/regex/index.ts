/**
 * text/regex: user-supplied patterns, compiled with RE2 (linear time) at create time, run on
 * each segment's original text, its canonical view (mapped back) and its decoded runs.
 */
import { z } from 'zod';
import { FindingCollector, redactedHint, SeveritySchema } from '../shared/result.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment, type Severity } from '../types.ts';
import { compilePattern, compileSet, forEachMatch, patternProblem, type CompiledPattern, type PatternSet } from './compile.ts';

const PatternEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lowercase letters, digits, ., - or _').describe('Stable id; findings report rule id `regex/<id>`.'),
    pattern: z.string().min(1).describe('RE2 syntax (no backreferences or lookaround); checked when the config loads.'),
    flags: z.string().regex(/^(?!.*(.).*\1)[ims]*$/, 'expected any of i, m, s, each at most once').default('').describe('`i` ignore case, `m` ^ and $ match at line breaks, `s` dot matches newlines.'),
    severity: SeveritySchema.default('high').describe('Severity of a match.'),
    description: z.string().optional().describe('What a match means; used as the finding message.'),
  })
  .strict()
  .superRefine((entry, ctx) => {
    // Checked in the schema so `config check` reports the exact path of a bad pattern.
    const problem = patternProblem(entry.id, entry.pattern, entry.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

/** Configuration of text/regex. */
export const RegexConfig = z
  .object({
    patterns: z
      .array(PatternEntry)
      .default([])
      .superRefine((entries, ctx) => {
        const seen = new Set<string>();
        entries.forEach((entry, index) => {
          if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate pattern id "${entry.id}"` });
          seen.add(entry.id);
        });
      })
      .describe('Patterns to find.'),
    redactWith: z.string().default('[REDACTED]').describe('Replacement proposed for each match when the policy redacts.'),
    scanCanonical: z.boolean().default(true).describe('Also match the canonical view (NFKC, homoglyphs folded, hidden characters removed), mapped back to the original.'),
    scanDecoded: z.boolean().default(true).describe('Also match decoded runs (base64, hex, URL, rot13); a match there reports the whole run.'),
    maxFindings: z.number().int().min(1).max(100_000).default(1000).describe('Most findings reported per scan (redaction edits are never capped).'),
  })
  .strict();
export type RegexConfig = z.output<typeof RegexConfig>;

interface Rule {
  compiled: CompiledPattern;
  ruleId: string;
  severity: Severity;
  message: string;
}

interface Compiled {
  config: RegexConfig;
  rules: Rule[];
  set: PatternSet | undefined;
  /** Scratch list of every rule index, used when there is no set. */
  all: number[];
}

function compile(config: RegexConfig): Compiled {
  const rules = config.patterns.map((entry) => ({
    compiled: compilePattern(entry.id, entry.pattern, entry.flags),
    ruleId: `regex/${entry.id}`,
    severity: entry.severity,
    message: entry.description ?? `Pattern ${entry.id} matched`,
  }));
  return { config, rules, set: compileSet(rules.map((rule) => rule.compiled)), all: rules.map((_, index) => index) };
}

/** Indices of the rules that match `text` at all. */
function candidates(compiled: Compiled, text: string): readonly number[] {
  return compiled.set ? compiled.set.match(text) : compiled.all;
}

function scanSegment(compiled: Compiled, segment: ScanSegment, collector: FindingCollector): void {
  const { config, rules } = compiled;
  const text = segment.text;
  const report = (rule: Rule, start: number, end: number, evidence: string, message = rule.message): void => {
    collector.add({ ruleId: rule.ruleId, message, severity: rule.severity, score: 1, segmentId: segment.id, span: [start, end], evidence }, config.redactWith);
  };
  for (const index of candidates(compiled, text)) {
    const rule = rules[index]!;
    forEachMatch(rule.compiled.regex, text, (start, end) => report(rule, start, end, redactedHint(text.slice(start, end))));
  }
  const canonical = segment.canonical;
  if (config.scanCanonical && canonical.text !== text) {
    for (const index of candidates(compiled, canonical.text)) {
      const rule = rules[index]!;
      forEachMatch(rule.compiled.regex, canonical.text, (start, end) => {
        const [from, to] = canonical.toOriginal(start, end);
        // Same span as an original-text match: the collector drops it as a duplicate.
        report(rule, Math.max(0, Math.min(from, text.length)), Math.max(0, Math.min(to, text.length)), redactedHint(canonical.text.slice(start, end)));
      });
    }
  }
  if (!config.scanDecoded) return;
  for (const run of canonical.decoded) {
    if (run.start < 0 || run.end > text.length || run.start > run.end) continue;
    for (const index of candidates(compiled, run.text)) {
      const rule = rules[index]!;
      forEachMatch(rule.compiled.regex, run.text, (start, end) => {
        report(rule, run.start, run.end, `${redactedHint(run.text.slice(start, end))} in ${run.encoding}-decoded text`, `${rule.message} (in ${run.encoding}-decoded text)`);
      });
    }
  }
}

/** Regex scanner definition. */
export const regexScanner = defineScanner({
  id: 'text/regex',
  description:
    'Finds configured RE2 patterns (linear time; backreferences and lookaround are rejected when the config loads) in the original text, the canonical view and decoded runs. ' +
    'One finding per distinct match (score 1, the pattern\'s severity, rule id `regex/<id>`), with a proposed redaction of the original span. ' +
    'Outcome: fail if any finding is high or critical, flag if any is low or medium, else pass; score: the highest finding score, 0 when none.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: RegexConfig,
  create(config) {
    const compiled = compile(config);
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        if (compiled.rules.length === 0) return collector.result();
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          scanSegment(compiled, segment, collector);
        }
        return collector.result();
      },
    };
  },
});
