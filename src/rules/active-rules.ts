/**
 * The rules the injection scanners run with: the built-in signatures of this release, adjusted
 * and extended by the active signed bundle. Bundle patterns are data from a file, so they are
 * compiled with RE2 (linear time), never with V8's backtracking RegExp.
 */
import RE2 from 're2';
import { SIGNATURES_VERSION } from '../scanners/injection/signatures.ts';
import { BUILTIN_IDS, type RulesDocument, type VerifiedBundle } from './format.ts';

export interface SignatureScore {
  direct: number;
  indirect: number;
}

/** A bundle signature ready to run. */
export interface CompiledBundleSignature {
  id: string;
  description: string;
  score: SignatureScore;
  regex: RE2;
}

export type DetectorName = 'prompt-injection' | 'indirect-injection';

/** One consistent rule set; scanners read it once per scan, so a reload never mixes two sets in one result. */
export interface ActiveRules {
  /** Recorded on events: the built-in version, plus `/<bundle version>` when a bundle is active. */
  version: string;
  builtinVersion: string;
  bundle: { version: string; issuedAt: string; keyId: string; sha256: string } | null;
  signatures: readonly CompiledBundleSignature[];
  /** Built-in signature indices switched off (neither reported nor classifier features). */
  disabled: ReadonlySet<number>;
  /** Built-in signature index -> replacement scores. */
  scores: ReadonlyMap<number, SignatureScore>;
  thresholds: Partial<Record<DetectorName, { reportAbove?: number }>>;
}

/** The release's own rules, used until (and unless) a verified bundle is loaded. */
export const BUILTIN_RULES: ActiveRules = Object.freeze({
  version: SIGNATURES_VERSION,
  builtinVersion: SIGNATURES_VERSION,
  bundle: null,
  signatures: [],
  disabled: new Set<number>(),
  scores: new Map<number, SignatureScore>(),
  thresholds: {},
});

function compileDocument(rules: RulesDocument): Pick<ActiveRules, 'signatures' | 'disabled' | 'scores' | 'thresholds'> {
  // format.ts already checked every pattern with RE2; `u` for code points, no `g` so exec starts at 0.
  const signatures = rules.signatures.map((entry) => ({ id: entry.id, description: entry.description, score: entry.score, regex: new RE2(entry.pattern, `${entry.flags}u`) }));
  const disabled = new Set<number>();
  const scores = new Map<number, SignatureScore>();
  for (const [id, override] of Object.entries(rules.builtin)) {
    const index = BUILTIN_IDS.get(id)!;
    if (!override.enabled) disabled.add(index);
    if (override.score) scores.set(index, override.score);
  }
  const thresholds: ActiveRules['thresholds'] = {};
  for (const name of ['prompt-injection', 'indirect-injection'] as const) {
    const value = rules.thresholds[name];
    if (value) thresholds[name] = { ...(value.reportAbove !== undefined ? { reportAbove: value.reportAbove } : {}) };
  }
  return { signatures, disabled, scores, thresholds };
}

/** The rule set of a verified bundle. */
export function activeRulesOf(bundle: VerifiedBundle): ActiveRules {
  return Object.freeze({
    version: `${SIGNATURES_VERSION}/${bundle.rules.version}`,
    builtinVersion: SIGNATURES_VERSION,
    bundle: { version: bundle.rules.version, issuedAt: bundle.rules.issuedAt, keyId: bundle.keyId, sha256: bundle.sha256 },
    ...compileDocument(bundle.rules),
  });
}

/** Where the scanners get the current rules (injected through ScannerDeps). */
export interface RulesSource {
  current(): ActiveRules;
}

/** First match of each bundle signature in `text`. */
export function matchBundleSignatures(rules: ActiveRules, text: string): { index: number; start: number; end: number }[] {
  const hits: { index: number; start: number; end: number }[] = [];
  for (let index = 0; index < rules.signatures.length; index++) {
    const match = rules.signatures[index]!.regex.exec(text);
    if (match && match[0].length > 0) hits.push({ index, start: match.index, end: match.index + match[0].length });
  }
  return hits;
}
