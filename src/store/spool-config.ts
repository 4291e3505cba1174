import { z } from 'zod';

/** `storage.spool`: the local durability spool in front of the event store (src/store/README.md, ADR 0015). */
export const SpoolStorage = z
  .object({
    enabled: z
      .union([z.boolean(), z.literal('auto')])
      .default('auto')
      .describe('Spool events the store cannot commit to <dataDir>/spool/events.spool and replay them when it is back. auto: on for postgres, off for sqlite (its file is local already).'),
    maxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(1024 ** 4)
      .default(1024 ** 3)
      .describe('Most bytes of unreplayed events the spool may hold (about 1-3 KB per event).'),
    onFull: z
      .enum(['keep-serving', 'fail-closed'])
      .default('keep-serving')
      .describe('When the spool is full: keep serving and drop (count, log) events that do not fit, or refuse requests with 503 BULWARK_AUDIT_UNAVAILABLE until it has room.'),
  })
  .strict();
export type SpoolStorage = z.infer<typeof SpoolStorage>;

/** Whether the spool is on for a store kind. */
export function spoolEnabled(spool: SpoolStorage, kind: 'sqlite' | 'postgres'): boolean {
  return spool.enabled === 'auto' ? kind === 'postgres' : spool.enabled;
}
