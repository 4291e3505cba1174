import { z } from 'zod';

/** `review`: which events go to the review queue, and how often allow-list changes are picked up (src/review/README.md). */
export const Review = z
  .object({
    enabled: z.boolean().default(true).describe('Keep a review queue in review.db in the data directory: events with a decision in `includeDecisions` go to it, plus a sample of allowed events; labels and allow-list entries live there too.'),
    includeDecisions: z
      .array(z.enum(['flag', 'block', 'redact', 'error']))
      .default(['flag', 'block'])
      .describe('Event decisions that always go to the review queue.'),
    sampleRate: z.number().min(0).max(1).default(0).describe('Share of allowed events (decision allow) also queued for review, 0 to 1 (a random sample, to find misses).'),
    allowListRefreshMs: z.number().int().min(0).max(600_000).default(1_000).describe('Most time between checks of review.db for allow-list entries another process added (0: check on every scan).'),
  })
  .strict();
export type Review = z.infer<typeof Review>;
