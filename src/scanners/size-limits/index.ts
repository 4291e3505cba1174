/**
 * limits/size: caps characters per segment and in total, the number of segments and,
 * optionally, the total token count, so oversized input never reaches costlier scanners or
 * the upstream.
 */
import { z } from 'zod';
import { buildResult } from '../shared/result.ts';
import { defineScanner, type Finding, type ScanInput, type ScanResult } from '../types.ts';
import { countTokensUpTo, ENCODINGS, loadCounter, type TokenCounter } from './tokens.ts';

/** Configuration of limits/size. */
export const SizeLimitsConfig = z
  .object({
    maxCharsPerSegment: z.number().int().min(1).nullable().default(100_000).describe('Most characters (UTF-16 code units) in one segment; null for no limit.'),
    maxTotalChars: z.number().int().min(1).nullable().default(400_000).describe('Most characters over all segments; null for no limit.'),
    maxSegments: z.number().int().min(1).nullable().default(1000).describe('Most segments (messages, parts, tool results, documents); null for no limit.'),
    maxTokens: z.number().int().min(1).nullable().default(null).describe('Most tokens over all segments (message framing not counted); null for no limit. Skipped when a character or segment limit already failed.'),
    encoding: z.enum(ENCODINGS).default('o200k_base').describe('Tokenizer for maxTokens: o200k_base (GPT-4o and later) or cl100k_base (GPT-4, GPT-3.5).'),
  })
  .strict();
export type SizeLimitsConfig = z.output<typeof SizeLimitsConfig>;

/** A byte-level BPE token covers at least one UTF-8 byte, and a UTF-16 unit is at most 3 bytes. */
const MAX_BYTES_PER_UNIT = 3;

function limitFinding(ruleId: string, message: string, segmentId: string, span: [number, number], evidence: string): Finding {
  return { ruleId, message, severity: 'high', score: 1, segmentId, span, evidence };
}

/** Total tokens exceed `limit`? Only tokenizes when the byte count leaves it open. */
function tokenFinding(input: ScanInput, limit: number, counter: TokenCounter): Finding | undefined {
  let remaining = limit;
  for (const segment of input.segments) {
    const counted = countTokensUpTo(counter, segment.text, remaining);
    if (counted > remaining) {
      const first = input.segments[0]!;
      return limitFinding('limits/tokens', `More than ${limit} tokens in total`, first.id, [0, 0], `>${limit} tokens`);
    }
    remaining -= counted;
  }
  return undefined;
}

/** True when the text cannot hold more than `limit` tokens, by a byte bound that needs no tokenizer. */
function surelyWithin(input: ScanInput, limit: number, totalChars: number): boolean {
  if (totalChars * MAX_BYTES_PER_UNIT <= limit) return true;
  let bytes = 0;
  for (const segment of input.segments) bytes += Buffer.byteLength(segment.text, 'utf8');
  return bytes <= limit;
}

/** Size-limits scanner definition. */
export const sizeLimitsScanner = defineScanner({
  id: 'limits/size',
  description:
    'Fails input over its size limits: characters per segment (rule `limits/segment-chars`, span: the whole segment), characters in total (`limits/total-chars`), ' +
    'segment count (`limits/segments`) and, optionally, tokens in total (`limits/tokens`); totals are reported on the first segment with span [0,0]. ' +
    'Tokens are counted only when a byte bound cannot rule the limit out. Every finding is high with score 1, so the outcome is fail or pass; score: 1 or 0.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: SizeLimitsConfig,
  create(config) {
    let counter: TokenCounter | undefined;
    let loading: Promise<TokenCounter> | undefined;
    if (config.maxTokens !== null) {
      // Start loading now so the first request rarely waits; a load failure surfaces on scan.
      loading = loadCounter(config.encoding).then((loaded) => (counter = loaded));
      loading.catch(() => undefined);
    }
    return {
      scan(input: ScanInput): ScanResult | Promise<ScanResult> {
        const segments = input.segments;
        const first = segments[0];
        if (!first) return buildResult([]);
        const findings: Finding[] = [];
        if (config.maxSegments !== null && segments.length > config.maxSegments) {
          findings.push(limitFinding('limits/segments', `More than ${config.maxSegments} segments`, first.id, [0, 0], `${segments.length} segments > ${config.maxSegments}`));
        }
        let total = 0;
        for (const segment of segments) {
          const length = segment.text.length;
          total += length;
          if (config.maxCharsPerSegment !== null && length > config.maxCharsPerSegment) {
            findings.push(limitFinding('limits/segment-chars', `Segment longer than ${config.maxCharsPerSegment} characters`, segment.id, [0, length], `${length} chars > ${config.maxCharsPerSegment}`));
          }
        }
        if (config.maxTotalChars !== null && total > config.maxTotalChars) {
          findings.push(limitFinding('limits/total-chars', `More than ${config.maxTotalChars} characters in total`, first.id, [0, 0], `${total} chars > ${config.maxTotalChars}`));
        }
        const maxTokens = config.maxTokens;
        if (maxTokens === null || findings.length > 0 || surelyWithin(input, maxTokens, total)) return buildResult(findings);
        const finish = (loaded: TokenCounter): ScanResult => {
          const finding = tokenFinding(input, maxTokens, loaded);
          return buildResult(finding ? [finding] : []);
        };
        if (counter) return finish(counter);
        return (loading ?? loadCounter(config.encoding)).then(finish);
      },
    };
  },
});
