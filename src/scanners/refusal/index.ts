/**
 * quality/refusal: answers in which the model refuses ("I can't help with that", "As an AI language
 * model I cannot ..."), for reporting: refusal rates per route, model and policy show over-refusal
 * and jailbreak pressure. Instances default to `action: log` (see the config schema), never block.
 */
import { z } from 'zod';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { PHRASES } from './phrases.ts';

export const RefusalConfig = z
  .object({
    disclaimers: z.boolean().default(true).describe('Also report AI disclaimers without a refusal ("As an AI language model, ...") as `refusal/ai-disclaimer`.'),
    phrases: z.array(z.string().min(3).max(200)).max(200).default([]).describe('Extra refusal phrases of this deployment (case-insensitive literal text, e.g. a support bot\'s canned "I can only help with banking questions").'),
    leadChars: z.number().int().min(0).max(100_000).default(300).describe('A refusal starting within this many characters of the answer is a full refusal (score 0.9); later ones are partial (score 0.7).'),
    severity: SeveritySchema.default('low').describe('Severity of a finding (reporting only; the instance action decides).'),
    maxChars: z.number().int().min(100).max(10_000_000).default(100_000).describe('Only the first this many characters of a segment are read (refusals come early).'),
  })
  .strict();
export type RefusalConfig = z.output<typeof RefusalConfig>;

/** Lower case and typographic apostrophes folded, one UTF-16 unit for one, so offsets stay valid. */
function foldView(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\u2019' || char === '\u2018' || char === '\u02bc' || char === '`' || char === '\u00b4') out += "'";
    else {
      const lower = char.toLowerCase();
      out += lower.length === 1 ? lower : char;
    }
  }
  return out;
}

export const refusalScanner = defineScanner({
  id: 'quality/refusal',
  description:
    'Detects refusals in answers for reporting: phrasings such as "I can\'t help with that", "I\'m sorry, but I cannot", "I must decline", "this goes against my guidelines" in English and their equivalents in French, Spanish, German, Portuguese, Italian, Russian, Chinese and Japanese, plus configured phrases; and AI disclaimers ("As an AI language model"). ' +
    'At most one finding per rule and segment: `refusal/refusal` (score 0.9 when it starts within leadChars of the answer, else 0.7 for a partial refusal) and `refusal/ai-disclaimer` (score 0.6); evidence names the phrase kind and language. ' +
    'Severity low by default, so the outcome is flag when found, else pass; instances default to `action: log`, so refusals are counted in events and metrics but never blocked.',
  phases: ['response'],
  configSchema: RefusalConfig,
  create(config) {
    const extra = config.phrases.map((phrase) => foldView(phrase).trim());
    function scanSegment(segment: ScanSegment, collector: FindingCollector): void {
      // The original text, not the canonical view: confusable folding would turn Cyrillic and Greek into Latin look-alikes.
      const view = foldView(segment.text.length > config.maxChars ? segment.text.slice(0, config.maxChars) : segment.text);
      // Leading whitespace does not push a refusal out of the lead.
      const lead = view.length - view.trimStart().length + config.leadChars;
      let refusal: { start: number; end: number; language: string; what: string } | null = null;
      let disclaimer: { start: number; end: number; language: string } | null = null;
      for (const phrase of PHRASES) {
        if (phrase.kind === 'disclaimer' && (!config.disclaimers || disclaimer)) continue;
        const match = phrase.pattern.exec(view);
        if (!match) continue;
        const found = { start: match.index, end: match.index + match[0].length, language: phrase.language, what: 'refusal phrase' };
        if (phrase.kind === 'refusal' && (!refusal || found.start < refusal.start)) refusal = found;
        else if (phrase.kind === 'disclaimer') disclaimer = found;
      }
      for (const phrase of extra) {
        const at = phrase === '' ? -1 : view.indexOf(phrase);
        if (at >= 0 && (!refusal || at < refusal.start)) refusal = { start: at, end: at + phrase.length, language: 'configured', what: 'configured refusal phrase' };
      }
      const span = (start: number, end: number): [number, number] => [start, end];
      if (refusal) {
        const full = refusal.start < lead;
        collector.add({ ruleId: 'refusal/refusal', message: `${full ? 'The answer refuses' : 'The answer partly refuses'} (${refusal.what}, ${refusal.language})`, severity: config.severity, score: full ? 0.9 : 0.7, segmentId: segment.id, span: span(refusal.start, refusal.end), evidence: `${full ? 'full' : 'partial'} refusal, ${refusal.language}` });
      }
      if (disclaimer) {
        collector.add({ ruleId: 'refusal/ai-disclaimer', message: `The answer carries an AI disclaimer (${disclaimer.language})`, severity: config.severity, score: 0.6, segmentId: segment.id, span: span(disclaimer.start, disclaimer.end), evidence: `AI disclaimer, ${disclaimer.language}` });
      }
    }
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(Math.max(2, input.segments.length * 2));
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          scanSegment(segment, collector);
        }
        return collector.result();
      },
    };
  },
});
