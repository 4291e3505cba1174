import type { AuditSigningKey } from './signing-key.ts';

/** A checkpoint at least every this many records of a partition (default). */
export const DEFAULT_CHECKPOINT_EVERY_RECORDS = 1_000;
/** ...or this long after the first record no checkpoint covers (default). */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** How a store signs its audit chain; see src/audit/README.md. */
export interface AuditChainOptions {
  /** Signs checkpoints; null chains records without signed checkpoints (tests, tools). */
  signingKey: AuditSigningKey | null;
  checkpointEveryRecords?: number;
  checkpointIntervalMs?: number;
}

/** The checkpoint policy with defaults applied and bounds enforced. */
export function checkpointPolicy(options: AuditChainOptions | undefined): { everyRecords: number; intervalMs: number } {
  return {
    everyRecords: Math.max(1, Math.floor(options?.checkpointEveryRecords ?? DEFAULT_CHECKPOINT_EVERY_RECORDS)),
    intervalMs: Math.max(10, Math.floor(options?.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS)),
  };
}
