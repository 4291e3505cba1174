/**
 * safety/code: code in prompts and answers. Finds code blocks (Markdown fences and unfenced code
 * lines), identifies their language, reports languages a use case does not allow, and reports
 * dangerous patterns (download-and-execute, credential harvesting, secrets sent out, obfuscated
 * payloads, reverse shells, destructive commands) anywhere in the text and in decoded runs.
 */
import { z } from 'zod';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { unsettledTail } from '../shared/stream-tail.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { codeLineScore, findCodeBlocks, linesOf, type CodeBlock } from './blocks.ts';
import { fenceLanguage } from './languages.ts';
import { matchRules } from './match.ts';
import { HOLD_TRIGGER, RULE_IDS, type RuleId } from './rules.ts';
import type { CancelSignal } from '../../runtime/cancel-signal.ts';

const LanguageName = z.string().regex(/^(?:\*|[a-z][a-z0-9+#-]{0,19})$/, 'expected a language id such as python, shell or sql, or * for any code');

export const CodeConfig = z
  .object({
    languages: z
      .object({
        allow: z.array(LanguageName).default([]).describe('Languages this use case may emit (ids or fence aliases: python, javascript, typescript, shell, powershell, batch, sql, c, cpp, java, csharp, go, rust, php, ruby, html, css, json, unknown, or any fence name such as yaml). Non-empty: code in any other language, or unidentified code, is reported.'),
        block: z.array(LanguageName).default([]).describe('Languages never allowed; `*` reports any code at all (a use case that must not emit code). Block wins over allow.'),
      })
      .strict()
      .prefault({})
      .describe('Which code a use case may contain; a disallowed block is a `code/language/<language>` finding.'),
    languageSeverity: SeveritySchema.default('high').describe('Severity of a `code/language/<language>` finding.'),
    rules: z.array(z.enum(RULE_IDS)).default([...RULE_IDS]).describe('Dangerous-pattern rules reported (rule ids; the instance `ruleActions` sets a per-rule action, e.g. {"code/credential-access": flag}).'),
    reportCode: z.boolean().default(false).describe('Also report every allowed code block as `code/detected/<language>` (severity low, score = identification confidence), for events and metrics; pair with `ruleActions: {"code/detected/*": log}` on a blocking instance.'),
    scanDecoded: z.boolean().default(true).describe('Also run the dangerous-pattern rules over base64, hex and URL-encoded runs (decoded by the canonical view).'),
    maxFindings: z.number().int().min(1).max(100_000).default(200).describe('Most findings reported per scan.'),
  })
  .strict();
export type CodeConfig = z.output<typeof CodeConfig>;

/** Lines an open code block is held in a stream before its language is taken as settled. */
const DECIDE_LINES = 6;
/** Characters before a trigger word that a pattern may start at (`bash -i >& /dev/tcp/...`). */
const LEAD = 160;
const PARTIAL_WORD = 24;

function normalise(name: string): string {
  return name === '*' ? '*' : (fenceLanguage(name) ?? name) || name;
}

export const codeScanner = defineScanner({
  id: 'safety/code',
  description:
    'Finds code in text: Markdown fences and runs of unfenced code lines, with the language identified by a small keyword and token-shape model (a fence info string decides). ' +
    'Reports `code/language/<language>` for a block the `languages` policy does not allow (score 1 for a tagged fence, else 0.5 + half the identification confidence), and dangerous patterns anywhere in the text or its decoded runs by stable rule id: ' +
    '`code/download-exec`, `code/credential-access`, `code/secret-exfiltration`, `code/obfuscated-exec` (high, 0.9-0.95; a few medium 0.7-0.75 variants), `code/reverse-shell` and `code/destructive` (critical, 0.95-0.98). ' +
    'Outcome: fail if any finding is high or critical, flag if low or medium, else pass; score: the highest finding score. In streams it holds back an unterminated line with a trigger word and a code block whose language is not settled yet.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: CodeConfig,
  create(config) {
    const allow = new Set(config.languages.allow.map(normalise));
    const block = new Set(config.languages.block.map(normalise));
    const restricted = allow.size > 0 || block.size > 0;
    const enabled = new Set<RuleId>(config.rules);
    const disallowed = (language: string): boolean => block.has('*') || block.has(language) || (allow.size > 0 && !allow.has('*') && !allow.has(language));

    function scanSegment(segment: ScanSegment, collector: FindingCollector, signal: CancelSignal, stream: boolean): { blocks: CodeBlock[]; openFrom: number } {
      const canonical = segment.canonical;
      const text = canonical.text;
      const span = (start: number, end: number): [number, number] => {
        const [from, to] = canonical.toOriginal(start, end);
        const a = Math.max(0, Math.min(from, segment.text.length));
        return [a, Math.max(a, Math.min(to, segment.text.length))];
      };
      const blocks = restricted || config.reportCode ? findCodeBlocks(text) : [];
      const languageAt = (offset: number): string | undefined => blocks.find((b) => b.start <= offset && offset < b.end)?.language;
      for (const found of blocks) {
        const fencedTag = found.fenced && found.info !== '' && found.confidence === 1;
        const score = fencedTag ? 1 : Math.round((0.5 + found.confidence / 2) * 1000) / 1000;
        const where = `${found.fenced ? 'fenced' : 'unfenced'} ${found.language} block, ${found.lines} line(s)`;
        // A stream window may start inside a block whose opening fence was already released, so its fences pair up wrongly:
        // there only identified languages count, and the end-of-stream response scan judges unidentified code.
        if (disallowed(found.language) && !(stream && found.language === 'unknown')) {
          collector.add({ ruleId: `code/language/${found.language}`, message: `Code in ${found.language} is not allowed for this use case (${where})`, severity: config.languageSeverity, score, segmentId: segment.id, span: span(found.start, found.end), evidence: where });
        } else if (config.reportCode) {
          collector.add({ ruleId: `code/detected/${found.language}`, message: `Code detected: ${where}`, severity: 'low', score: found.language === 'unknown' ? 0.5 : score, segmentId: segment.id, span: span(found.start, found.end), evidence: where });
        }
      }
      let openFrom = text.length;
      if (enabled.size > 0) {
        const matched = matchRules(text, enabled, signal);
        openFrom = matched.openFrom;
        for (const hit of matched.hits) {
          const language = languageAt(hit.start);
          collector.add({ ruleId: hit.pattern.rule, message: `Dangerous code: ${hit.pattern.what}${language ? ` (in a ${language} block)` : ''}`, severity: hit.pattern.severity, score: hit.pattern.score, segmentId: segment.id, span: span(hit.start, hit.end), evidence: `${hit.pattern.rule}: ${hit.pattern.what}` });
        }
        if (config.scanDecoded) {
          for (const run of canonical.decoded) {
            for (const hit of matchRules(run.text, enabled, signal).hits) {
              collector.add({ ruleId: hit.pattern.rule, message: `Dangerous code hidden in ${run.encoding}-encoded text: ${hit.pattern.what}`, severity: hit.pattern.severity, score: hit.pattern.score, segmentId: segment.id, span: [run.start, run.end], evidence: `${hit.pattern.rule}: ${hit.pattern.what} (${run.encoding})` });
            }
          }
        }
      }
      return { blocks, openFrom };
    }

    /** Characters at the end of a growing text that could still turn into a finding. */
    function streamTail(segment: ScanSegment, blocks: readonly CodeBlock[], openFrom: number): number {
      const text = segment.canonical.text;
      let holdFrom = Math.min(text.length, openFrom);
      const lines = linesOf(text);
      const last = lines[lines.length - 1]!;
      if (!last.terminated && last.end > last.start) {
        // An unterminated line: a pattern may still complete on it, from a little before its first trigger word.
        const content = text.slice(last.start, last.end);
        const trigger = HOLD_TRIGGER.exec(content.toLowerCase())?.index ?? -1;
        if (codeLineScore(content) >= 2) holdFrom = Math.min(holdFrom, last.start);
        else if (trigger >= 0) holdFrom = Math.min(holdFrom, last.start + Math.max(0, trigger - LEAD));
        else holdFrom = Math.min(holdFrom, Math.max(last.start, last.end - PARTIAL_WORD));
      }
      if (restricted) {
        // A block at the end whose language is not settled yet, or code lines that may still become one.
        const tailBlock = blocks[blocks.length - 1];
        if (tailBlock && tailBlock.end >= text.trimEnd().length && (tailBlock.open || !tailBlock.fenced) && tailBlock.lines < DECIDE_LINES) holdFrom = Math.min(holdFrom, tailBlock.start);
        let from = -1;
        for (let i = lines.length - 1; i >= 0 && i >= lines.length - DECIDE_LINES; i--) {
          const line = lines[i]!;
          const content = text.slice(line.start, Math.min(line.end, line.start + 600));
          if (content.trim() === '' || codeLineScore(content) >= 1 || /^ {0,3}[`~]/.test(content)) from = line.start;
          else break;
        }
        if (from >= 0 && text.slice(from).trim() !== '') holdFrom = Math.min(holdFrom, from);
      }
      const [original] = segment.canonical.toOriginal(holdFrom, text.length);
      const held = segment.text.length - Math.max(0, Math.min(original, segment.text.length));
      return Math.max(held, unsettledTail(segment.text));
    }

    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        let tail = 0;
        input.segments.forEach((segment, index) => {
          context.signal.throwIfAborted();
          const { blocks, openFrom } = scanSegment(segment, collector, context.signal, input.phase === 'response-stream');
          if (input.phase === 'response-stream' && index === input.segments.length - 1) tail = streamTail(segment, blocks, openFrom);
        });
        return input.phase === 'response-stream' ? { ...collector.result(), tail } : collector.result();
      },
    };
  },
});
