/**
 * text/hidden-characters: reports invisible and direction-changing characters found by the
 * canonicaliser, telling smuggled instructions apart from legitimate emoji and script use.
 */
import { unsettledTail } from '../shared/stream-tail.ts';
import { z } from 'zod';
import type { HiddenKind } from '../../text/types.ts';
import { FindingCollector } from '../shared/result.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { classify, clusterRuns, SEVERITY_SCORE, type ClassifyOptions } from './classify.ts';

const HIDDEN_KINDS = ['tag-character', 'variation-selector', 'bidi-control', 'zero-width', 'other-invisible'] as const satisfies readonly HiddenKind[];
const EVIDENCE_CHARS = 40;

/** Configuration of text/hidden-characters. */
export const HiddenCharactersConfig = z
  .object({
    kinds: z.array(z.enum(HIDDEN_KINDS)).default([...HIDDEN_KINDS]).describe('Kinds of hidden characters reported.'),
    minRun: z.number().int().min(1).default(1).describe('Shortest run (in characters) reported; runs that decode to text are always reported.'),
    blockTagCharacters: z.boolean().default(true).describe('Report tag characters outside emoji flags as critical even when they spell nothing readable (otherwise medium).'),
    allowEmojiSequences: z.boolean().default(true).describe('Do not report a lone VS15/VS16 after an emoji or keycap base, a lone ZWJ between emoji, or the tags of a subdivision flag.'),
    allowScriptJoiners: z.boolean().default(true).describe('Do not report a lone ZWJ/ZWNJ between letters of scripts that spell with them (Arabic and Persian, Indic scripts, Sinhala, ...).'),
    allowVariationSequences: z.boolean().default(true).describe('Do not report a lone variation selector after a CJK ideograph or a symbol (standardized and ideographic variation sequences).'),
    allowBidiMarks: z.boolean().default(true).describe('Do not report LRM, RLM and ALM direction marks (common in right-to-left text); embeddings, overrides and isolates are always reported.'),
    allowLeadingBom: z.boolean().default(true).describe('Do not report a byte-order mark at the very start of a segment.'),
    maxFindings: z.number().int().min(1).max(100_000).default(1000).describe('Most findings reported per scan (removal edits are never capped).'),
  })
  .strict();
export type HiddenCharactersConfig = z.output<typeof HiddenCharactersConfig>;

function evidenceOf(kind: HiddenKind, count: number, decoded: string | undefined): string {
  const base = `${kind} x${count}`;
  if (!decoded) return base;
  const chars = [...decoded];
  const head = chars.slice(0, EVIDENCE_CHARS).join('');
  return `${base}: ${JSON.stringify(head)}${chars.length > EVIDENCE_CHARS ? '…' : ''}`;
}

function scanSegment(segment: ScanSegment, kinds: ReadonlySet<HiddenKind>, config: HiddenCharactersConfig, options: ClassifyOptions, collector: FindingCollector): void {
  const runs = segment.canonical.hidden;
  if (runs.length === 0) return;
  const text = segment.text;
  for (const cluster of clusterRuns(text, runs)) {
    for (const run of cluster.runs) {
      if (!kinds.has(run.kind)) continue;
      if (run.count < config.minRun && !run.decoded) continue;
      if (run.start < 0 || run.end > text.length || run.start >= run.end) continue;
      const verdict = classify(text, run, cluster, options);
      if (!verdict) continue;
      collector.add(
        { ruleId: verdict.ruleId, message: verdict.message, severity: verdict.severity, score: SEVERITY_SCORE[verdict.severity], segmentId: segment.id, span: [run.start, run.end], evidence: evidenceOf(run.kind, run.count, run.decoded) },
        '',
      );
    }
  }
}

/** Hidden-characters scanner definition. */
export const hiddenCharactersScanner = defineScanner({
  id: 'text/hidden-characters',
  description:
    'Reports invisible characters: tag characters and variation-selector payloads that spell text (critical, score 1), bidi embeddings/overrides/isolates (high, 0.8), ' +
    'zero-width characters inside words or variation selectors in repeated runs (medium, 0.6), other stray invisibles (low, 0.2); runs of 4+ zero-width characters or variation selectors are high. ' +
    'Legitimate emoji sequences (VS16, ZWJ, flag tags), script joiners, variation sequences and direction marks are not reported. Each finding proposes removing its run. ' +
    'Outcome: fail if any finding is high or critical, flag if any is low or medium, else pass; score: the highest finding score, 0 when none.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: HiddenCharactersConfig,
  create(config) {
    const kinds = new Set<HiddenKind>(config.kinds);
    const options: ClassifyOptions = {
      allowEmojiSequences: config.allowEmojiSequences,
      allowScriptJoiners: config.allowScriptJoiners,
      allowVariationSequences: config.allowVariationSequences,
      allowBidiMarks: config.allowBidiMarks,
      allowLeadingBom: config.allowLeadingBom,
      blockTagCharacters: config.blockTagCharacters,
    };
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          scanSegment(segment, kinds, config, options, collector);
        }
        // A trailing invisible run may still grow into a payload.
        const last = input.segments[input.segments.length - 1];
        return input.phase === 'response-stream' ? { ...collector.result(), tail: last ? unsettledTail(last.text) : 0 } : collector.result();
      },
    };
  },
});
