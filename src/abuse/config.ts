import { z } from 'zod';

/** `abuse`: per-key behavioural detection of abuse and model extraction (see src/abuse/README.md). */
export const Abuse = z
  .object({
    enabled: z.boolean().default(false).describe('Score every authenticated key\'s traffic for abuse and model-extraction patterns (state is per gateway process). Off by default: tune the thresholds on your traffic first.'),
    flagAt: z.number().min(0).max(1).default(0.4).describe('Abuse score at which the key is flagged: one alert event (decision flag, findings `abuse/<signal>`) and a warn log line per episode.'),
    throttleAt: z.number().min(0).max(1).default(0.6).describe('Score at which the key\'s request rate is cut to `throttleRequestsPerMinute` for `throttleForMs` (429 BULWARK_RATE_LIMITED, `bulwark.reason: abuse-throttle`).'),
    suspendAt: z.number().min(0).max(1).nullable().default(0.95).describe('Score at which the key is suspended in control.db (403 BULWARK_KEY_SUSPENDED in every process within auth.cacheTtlMs) until `bulwark keys unsuspend ID`; null: never suspend automatically.'),
    throttleRequestsPerMinute: z.number().int().min(0).max(1_000_000).default(6).describe('Requests per sliding minute a throttled key may make.'),
    throttleForMs: z.number().int().min(1_000).max(86_400_000).default(600_000).describe('How long a throttle (and a flag episode) lasts after the score last reached its threshold.'),
    windowSize: z.number().int().min(8).max(512).default(64).describe('Recent prompts kept per key for the near-duplicate, template and topic signals.'),
    windowMs: z.number().int().min(1_000).max(86_400_000).default(600_000).describe('Prompts and policy blocks older than this stop counting.'),
    minSamples: z.number().int().min(1).max(512).default(16).describe('Prompts a key must have in the window before the prompt-shape signals score at all.'),
    nearDuplicateDistance: z.number().int().min(0).max(32).default(10).describe('Two prompts are near-duplicates when their 64-bit SimHashes differ in at most this many bits.'),
    templateSimilarity: z.number().min(0.1).max(1).default(0.6).describe('Two prompts share a template when the Jaccard similarity of their masked word sets (numbers and capitalised names masked) reaches this.'),
    maxKeys: z.number().int().min(100).max(1_000_000).default(10_000).describe('Keys whose state is kept per process; the least recently seen key is evicted beyond this (about 30 KB per key at windowSize 64).'),
  })
  .strict()
  .refine((value) => value.flagAt <= value.throttleAt && (value.suspendAt === null || value.throttleAt <= value.suspendAt), { message: 'expected flagAt <= throttleAt <= suspendAt' });
export type Abuse = z.infer<typeof Abuse>;
