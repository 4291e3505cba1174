/**
 * leak/system-prompt: answers that repeat the system prompt. The request's system messages (put in
 * the request state by the proxy, like the canary token) and the prompts configured for the use
 * case are indexed by word shingles; an answer passage whose shingles mostly occur in a prompt,
 * and that is long enough, is a leak. Case, whitespace and punctuation changes do not matter.
 */
import { z } from 'zod';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { unsettledTail } from '../shared/stream-tail.ts';
import { wordsOf } from '../documents/fingerprint.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { findLeaks, indexPrompts, partialFrom, type PromptIndex } from './overlap.ts';

/** Key under which the proxy puts the request's system texts (a string[]) in the scan context's state. */
export const systemPromptStateKey = 'system-prompt-texts';

/** Puts the system-origin texts of a request's segments in the request state, for leak/system-prompt. */
export function rememberSystemPrompts(state: Map<string, unknown>, segments: readonly { origin: string; text: string }[]): void {
  const texts = segments.filter((segment) => segment.origin === 'system' && segment.text.trim() !== '').map((segment) => segment.text);
  if (texts.length > 0) state.set(systemPromptStateKey, texts);
}

export const SystemPromptConfig = z
  .object({
    systemPrompts: z.array(z.string().min(1).max(200_000)).max(100).default([]).describe('System prompts of this use case, checked in addition to the system messages of each request (for prompts the application adds where the gateway cannot see them).'),
    useRequestSystem: z.boolean().default(true).describe('Check answers against the system messages of their own request.'),
    shingleWords: z.number().int().min(3).max(20).default(8).describe('Words per shingle (k); a prompt shorter than k words is one shingle of its own length.'),
    minContainment: z.number().min(0).max(1).default(0.5).describe('Least share of a passage\'s shingles that occur in the prompt (1 = verbatim).'),
    minMatchWords: z.number().int().min(3).max(10_000).default(16).describe('Report a passage covering at least this many words...'),
    minPromptFraction: z.number().min(0).max(1).default(0.6).describe('...or at least this share of a (short) prompt\'s words.'),
    minPromptWords: z.number().int().min(1).max(1_000).default(8).describe('Prompts with fewer words are not checked (a one-line "You are a helpful assistant" is not a secret).'),
    maxGap: z.number().int().min(0).max(200).default(12).describe('Most shingles between two hits of one passage; a changed word spoils k shingles, so keep it above shingleWords to tolerate edits.'),
    severity: SeveritySchema.default('high').describe('Severity of a leak finding.'),
    maxFindings: z.number().int().min(1).max(10_000).default(50).describe('Most findings reported per scan.'),
  })
  .strict();
export type SystemPromptConfig = z.output<typeof SystemPromptConfig>;

export const systemPromptScanner = defineScanner({
  id: 'leak/system-prompt',
  description:
    'Detects system-prompt leakage by similarity: the request\'s system messages (and `systemPrompts` from the config) are reduced to words and k-word shingles; answer passages whose shingles mostly occur in a prompt (containment >= minContainment, gaps of up to maxGap shingles for edited words) are leaks when they cover minMatchWords words or minPromptFraction of a short prompt. ' +
    'Robust to case, whitespace and punctuation changes. One finding per passage (rule id `system-prompt/leak`, score = containment, evidence = words and share of the prompt, never the text). ' +
    'Outcome: fail for a high or critical severity (default high), else flag; score: the highest containment, 0 when none. No system prompt means no findings. In streams it holds back a passage that may still grow and trailing words that begin a prompt shingle.',
  phases: ['response', 'response-stream'],
  configSchema: SystemPromptConfig,
  create(config) {
    const options = { shingleWords: config.shingleWords, minPromptWords: config.minPromptWords };
    const configured = indexPrompts(config.systemPrompts, options);
    // One index per request's system texts, built on the first scan and reused by every stream window.
    const perRequest = new WeakMap<readonly string[], PromptIndex>();
    const indexesFor = (context: ScanContext): PromptIndex[] => {
      const indexes = configured.groups.length > 0 ? [configured] : [];
      const texts = config.useRequestSystem ? context.state.get(systemPromptStateKey) : undefined;
      if (Array.isArray(texts) && texts.every((text) => typeof text === 'string')) {
        let index = perRequest.get(texts);
        if (!index) perRequest.set(texts, (index = indexPrompts(texts as string[], options)));
        if (index.groups.length > 0) indexes.push(index);
      }
      return indexes;
    };

    function scanSegment(segment: ScanSegment, indexes: readonly PromptIndex[], collector: FindingCollector, stream: boolean): number {
      const canonical = segment.canonical;
      const words = wordsOf(canonical.text);
      let holdFrom = canonical.text.length;
      for (const index of indexes) {
        for (const leak of findLeaks(index, words, config.maxGap)) {
          if (stream && leak.open) holdFrom = Math.min(holdFrom, leak.start);
          if (leak.containment < config.minContainment) continue;
          if (leak.words < config.minMatchWords && leak.promptFraction < config.minPromptFraction) continue;
          const [from, to] = canonical.toOriginal(leak.start, leak.end);
          const start = Math.max(0, Math.min(from, segment.text.length));
          const end = Math.max(start, Math.min(to, segment.text.length));
          const share = Math.round(leak.promptFraction * 100);
          const containment = Math.round(leak.containment * 100);
          collector.add({
            ruleId: 'system-prompt/leak',
            message: `The answer repeats the system prompt: ${leak.words} words, ${containment}% of its shingles from the prompt, about ${share}% of the prompt`,
            severity: config.severity,
            score: Math.round(leak.containment * 1000) / 1000,
            segmentId: segment.id,
            span: [start, end],
            evidence: `system prompt passage, ${leak.words} words, containment ${containment}%`,
          });
        }
        if (stream) {
          // A word touching the end may still grow: hold it, and judge the run before it as a prompt prefix.
          const n = words.words.length;
          const growing = n > 0 && words.ends[n - 1] === canonical.text.length;
          if (growing) holdFrom = Math.min(holdFrom, words.starts[n - 1]!);
          const settled = growing ? { words: words.words.slice(0, -1), starts: words.starts.slice(0, -1), ends: words.ends.slice(0, -1) } : words;
          const from = partialFrom(index, settled);
          if (from < settled.words.length) holdFrom = Math.min(holdFrom, settled.starts[from]!);
        }
      }
      if (!stream) return 0;
      const [original] = canonical.toOriginal(holdFrom, canonical.text.length);
      return Math.max(segment.text.length - Math.max(0, Math.min(original, segment.text.length)), unsettledTail(segment.text));
    }

    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        const indexes = indexesFor(context);
        const stream = input.phase === 'response-stream';
        let tail = 0;
        if (indexes.length > 0) {
          input.segments.forEach((segment, position) => {
            context.signal.throwIfAborted();
            const held = scanSegment(segment, indexes, collector, stream);
            if (position === input.segments.length - 1) tail = held;
          });
        }
        return stream ? { ...collector.result(), tail } : collector.result();
      },
    };
  },
});
