import { z } from 'zod';

/** Signed rule bundles (src/rules/README.md): where the active bundle lives and which publisher keys are trusted. */
export const RulesConfig = z
  .object({
    bundlePath: z.string().default('').describe('File holding the active signed rule bundle (`bulwark rules import` installs there); empty: `<data dir>/rules/bundle.json`. A missing file means the built-in rules.'),
    trustedKeys: z
      .array(z.string().min(1))
      .default([])
      .describe('Ed25519 public keys (SPKI PEM text, or the path of a .pem file) whose bundles are accepted; empty: bundles are not loaded (a bundle file present is reported as an error).'),
    pollIntervalMs: z.number().int().min(0).max(3_600_000).default(5_000).describe('How often a running gateway checks the bundle file for a new version (0: only at startup). A bad new bundle is refused and the last good one stays active.'),
  })
  .strict();
export type RulesConfig = z.output<typeof RulesConfig>;
