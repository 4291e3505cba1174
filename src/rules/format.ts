/**
 * The signed rule bundle format: a rules document (JSON) wrapped in an envelope that carries the
 * Ed25519 signature over its exact bytes. Parsing and verification live here; compiling the
 * patterns (RE2) lives in active-rules.ts.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { patternProblem } from '../scanners/regex/compile.ts';
import { ADVERSARIAL_SUFFIX_ID, SIGNATURES } from '../scanners/injection/signatures.ts';
import { keyIdOf } from '../audit/signing-key.ts';

export const RULES_FORMAT = 'bulwark-rules/1';
export const BUNDLE_FORMAT = 'bulwark-rules-bundle/1';
/** Domain separation: a signature made for something else (audit checkpoints) never verifies as a bundle. */
const SIGNED_PREFIX = Buffer.from('bulwark-rules-bundle-v1\n', 'utf8');

/** A bundle that cannot be used; `field` names what is wrong (`bundle.signature`, `rules.signatures.2.pattern`). */
export class RulesBundleError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'RulesBundleError';
    this.field = field;
  }
}

const Score = z
  .object({
    direct: z.number().min(0).max(1).describe('Score when found in a user turn (ai/prompt-injection).'),
    indirect: z.number().min(0).max(1).describe('Score when found in a document or tool result (ai/indirect-injection).'),
  })
  .strict();

/** Ids of the signatures compiled into this release (their scores can be overridden, or they can be switched off). */
export const BUILTIN_IDS: ReadonlyMap<string, number> = new Map([...SIGNATURES.map((signature, index) => [signature.id, index] as const), [ADVERSARIAL_SUFFIX_ID, SIGNATURES.length] as const]);

const FLAGS = /^(?!.*(.).*\1)[ims]*$/;

export const BundleSignature = z
  .object({
    id: z.string().regex(/^prompt-injection\/sig\/[a-z0-9][a-z0-9._-]{0,80}$/, 'expected prompt-injection/sig/<lowercase name>').describe('Stable rule id reported in findings.'),
    description: z.string().min(1).max(300).describe('What a match means; shown in the finding message.'),
    pattern: z.string().min(1).max(4_000).describe('RE2 syntax (no backreferences or lookaround): bundle patterns never run on a backtracking engine.'),
    flags: z.string().regex(FLAGS, 'expected any of i, m, s, each at most once').default('i').describe('`i` ignore case (default), `m` multi-line, `s` dot matches newlines.'),
    score: Score,
  })
  .strict()
  .superRefine((entry, ctx) => {
    const problem = patternProblem(entry.id, entry.pattern, entry.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });
export type BundleSignature = z.output<typeof BundleSignature>;

const BuiltinOverride = z
  .object({
    enabled: z.boolean().default(true).describe('false: the built-in signature is neither reported nor given to the classifier.'),
    score: Score.optional().describe('Replaces the built-in scores.'),
  })
  .strict();

const DetectorThresholds = z
  .object({
    reportAbove: z.number().min(0).max(1).optional().describe("Replaces the scanner instance's `reportAbove`: classifier probabilities below it are not reported."),
  })
  .strict();

/** What the publisher writes (RULES.json) and what the signature covers. */
export const RulesDocument = z
  .object({
    format: z.literal(RULES_FORMAT),
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'expected letters, digits, ., _, + or - (at most 64)').describe('Version recorded on every event and shown by /readyz.'),
    issuedAt: z.iso.datetime({ offset: true }).describe('When the bundle was issued; a running gateway refuses to swap to an older bundle (no silent rollback).'),
    description: z.string().max(1_000).optional(),
    signatures: z
      .array(BundleSignature)
      .max(1_000)
      .default([])
      .superRefine((entries, ctx) => {
        const seen = new Set<string>();
        entries.forEach((entry, index) => {
          if (BUILTIN_IDS.has(entry.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `"${entry.id}" is a built-in signature; change it under \`builtin\`` });
          if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate signature id "${entry.id}"` });
          seen.add(entry.id);
        });
      })
      .describe('New signatures, run on RE2 over the same texts as the built-in ones.'),
    builtin: z
      .record(z.string(), BuiltinOverride)
      .default({})
      .superRefine((entries, ctx) => {
        for (const id of Object.keys(entries)) if (!BUILTIN_IDS.has(id)) ctx.addIssue({ code: 'custom', path: [id], message: `unknown built-in signature "${id}"` });
      })
      .describe('Overrides of built-in signatures by rule id.'),
    thresholds: z
      .object({ 'prompt-injection': DetectorThresholds.optional(), 'indirect-injection': DetectorThresholds.optional() })
      .strict()
      .default({})
      .describe('Per-detector thresholds.'),
  })
  .strict();
export type RulesDocument = z.output<typeof RulesDocument>;

const Envelope = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex digits'),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'expected a base64 Ed25519 signature (64 bytes)'),
    payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64').max(16 * 1024 * 1024),
  })
  .strict();

/** A trusted publisher key: its id is the first 16 hex digits of SHA-256 over the SPKI DER. */
export interface TrustedKey {
  keyId: string;
  publicKey: KeyObject;
}

/** A verified bundle. */
export interface VerifiedBundle {
  rules: RulesDocument;
  keyId: string;
  /** SHA-256 of the bundle file, for logs and /readyz. */
  sha256: string;
}

function firstIssue(prefix: string, error: z.ZodError): RulesBundleError {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].join('.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return new RulesBundleError(path, `${issue.message}${more}`);
}

/** Parses and checks a rules document (the publisher side runs this before signing). */
export function parseRules(text: string): RulesDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesBundleError('rules', `not JSON (${(error as Error).message})`);
  }
  const parsed = RulesDocument.safeParse(json);
  if (!parsed.success) throw firstIssue('rules', parsed.error);
  return parsed.data;
}

/** Signs a rules document's exact bytes; returns the bundle file's text. */
export function signBundle(rulesText: string, privateKey: KeyObject): string {
  parseRules(rulesText);
  const payload = Buffer.from(rulesText, 'utf8');
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key: expected an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? 'a symmetric key'}`);
  const publicKeyId = keyIdOf(createPublicKey(privateKey));
  const signature = sign(null, Buffer.concat([SIGNED_PREFIX, payload]), privateKey).toString('base64');
  return `${JSON.stringify({ format: BUNDLE_FORMAT, keyId: publicKeyId, signature, payload: payload.toString('base64') }, null, 2)}\n`;
}

/**
 * Verifies a bundle file against the trusted keys and parses its rules. Throws a RulesBundleError
 * naming the field at fault: nothing of an unverified bundle is ever used.
 */
export function verifyBundle(bytes: Buffer | string, trusted: readonly TrustedKey[]): VerifiedBundle {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  let json: unknown;
  try {
    json = JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new RulesBundleError('bundle', `not JSON (${(error as Error).message})`);
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw firstIssue('bundle', envelope.error);
  const { keyId, signature, payload } = envelope.data;
  const key = trusted.find((candidate) => candidate.keyId === keyId);
  if (!key) throw new RulesBundleError('bundle.keyId', `unknown key ${keyId}; trusted keys: ${trusted.map((candidate) => candidate.keyId).join(', ') || 'none (set rules.trustedKeys)'}`);
  const payloadBytes = Buffer.from(payload, 'base64');
  if (!verify(null, Buffer.concat([SIGNED_PREFIX, payloadBytes]), key.publicKey, Buffer.from(signature, 'base64'))) {
    throw new RulesBundleError('bundle.signature', `does not verify with key ${keyId} (the bundle was altered or signed by another key)`);
  }
  return { rules: parseRules(payloadBytes.toString('utf8')), keyId, sha256 };
}
