/**
 * `detectSecrets(text)`: every secret in a text with its rule, span, severity and score. Pure and
 * synchronous; the scanner (`index.ts`), `bulwark eval --detector secrets` and the benchmark use it.
 * Compile once with `compileSecretDetector(options)` for repeated use.
 */
import RE2 from 're2';
import type { Severity } from '../types.ts';
import { findAssignments } from './assignments.ts';
import { findEntropyTokens } from './entropy-tokens.ts';
import { resolveOverlaps, type RawMatch } from './match.ts';
import { PROVIDER_RULES, providerValueIsFake, type ProviderRule } from './provider-rules.ts';
import { findJwkPrivate, findJwts, findKeyMaterialLines, findPem, findUrlPasswords } from './structural.ts';

export const RULE_GROUPS = ['providers', 'private-keys', 'jwt', 'connection-strings', 'passwords', 'entropy'] as const;
export type RuleGroup = (typeof RULE_GROUPS)[number];

export interface CustomSecretRule {
  id: string;
  /** RE2 source; capture group 1 (when present) is the secret. */
  pattern: string;
  flags?: string;
  severity?: Severity;
  description?: string;
}

export interface SecretDetectorOptions {
  groups?: readonly RuleGroup[];
  /** Minimum Shannon entropy (bits per character) of a token for the entropy-based rules. */
  minEntropy?: number;
  /** Values never reported: exact strings. */
  allowStrings?: readonly string[];
  /** Values never reported: RE2 patterns, matched against the whole value. */
  allowPatterns?: readonly string[];
  customRules?: readonly CustomSecretRule[];
}

export interface SecretFinding {
  /** `secrets/<name>` or `secrets/custom/<id>`. */
  ruleId: string;
  start: number;
  end: number;
  severity: Severity;
  score: number;
  /** A redacted hint (`ghp_****`); never the secret. */
  evidence: string;
}

interface CompiledProvider {
  rule: ProviderRule;
  regex: RE2;
  literals: readonly string[];
}

export interface SecretDetector {
  detect(text: string): SecretFinding[];
}

/** Compiles an RE2 pattern or throws an error naming where it came from. */
function compile(pattern: string, flags: string, where: string): RE2 {
  try {
    return new RE2(pattern, `${flags}g`);
  } catch (error) {
    throw new Error(`${where}: RE2 cannot compile ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Evidence prefix of a provider token: its documented prefix (`ghp_`, `sk-ant-`, `AKIA`), at most 10 characters. */
function prefixOf(value: string): string {
  const m = /^[A-Za-z0-9]{2,8}[_\-.$](?:[a-z]{2,7}[_\-])?/.exec(value);
  if (m && m[0].length <= 12) return m[0];
  return value.slice(0, Math.min(4, Math.floor(value.length / 4)));
}

function runProviders(providers: readonly CompiledProvider[], text: string, out: RawMatch[]): void {
  for (const { rule, regex, literals } of providers) {
    const lower = rule.caseless ? text.toLowerCase() : text;
    if (!literals.some((literal) => lower.includes(rule.caseless ? literal.toLowerCase() : literal))) continue;
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      const value = m[1] ?? m[0];
      const start = m.index + (m[1] === undefined ? 0 : m[0].indexOf(value));
      const end = start + value.length;
      if (providerValueIsFake(rule, value)) continue;
      if (rule.validate && !rule.validate(value, text.slice(end, end + 8))) continue;
      out.push({ rule: rule.name, start, end, severity: rule.severity, score: rule.score, hint: prefixOf(value) });
    }
  }
}

/** Builds a detector; throws a clear error when an allow pattern or custom rule does not compile. */
export function compileSecretDetector(options: SecretDetectorOptions = {}): SecretDetector {
  const groups = new Set<RuleGroup>(options.groups ?? RULE_GROUPS);
  const minEntropy = options.minEntropy ?? 3.0;
  const providers: CompiledProvider[] = groups.has('providers')
    ? PROVIDER_RULES.map((rule) => ({ rule, regex: compile(rule.pattern, '', `secrets/${rule.name}`), literals: rule.literals }))
    : [];
  const allowStrings = new Set(options.allowStrings ?? []);
  const allowPatterns = (options.allowPatterns ?? []).map((pattern, index) => compile(`^(?:${pattern})$`, '', `allowList.patterns[${index}]`));
  const custom = (options.customRules ?? []).map((rule, index) => ({ rule, regex: compile(rule.pattern, rule.flags ?? '', `customRules[${index}] (${rule.id})`) }));

  const allowed = (value: string): boolean => {
    if (allowStrings.has(value)) return true;
    for (const pattern of allowPatterns) {
      pattern.lastIndex = 0;
      if (pattern.test(value)) return true;
    }
    return false;
  };

  return {
    detect(text: string): SecretFinding[] {
      const raw: RawMatch[] = [];
      if (providers.length > 0) runProviders(providers, text, raw);
      if (groups.has('private-keys')) {
        findPem(text, raw);
        findJwkPrivate(text, raw);
      }
      if (groups.has('jwt')) findJwts(text, raw);
      if (groups.has('connection-strings')) findUrlPasswords(text, raw);
      if (groups.has('passwords')) findAssignments(text, minEntropy, raw);
      if (groups.has('entropy')) {
        findEntropyTokens(text, Math.max(minEntropy, 3.5), raw);
        findKeyMaterialLines(text, raw);
      }
      for (const { rule, regex } of custom) {
        regex.lastIndex = 0;
        for (let m = regex.exec(text); m; m = regex.exec(text)) {
          const value = m[1] ?? m[0];
          if (value.length === 0) {
            regex.lastIndex = m.index + 1;
            continue;
          }
          const start = m.index + (m[1] === undefined ? 0 : m[0].indexOf(value));
          raw.push({ rule: `custom/${rule.id}`, start, end: start + value.length, severity: rule.severity ?? 'high', score: 0.9, hint: '' });
        }
      }
      const findings: SecretFinding[] = [];
      for (const match of resolveOverlaps(insidePemBlocks(raw))) {
        if (allowStrings.size + allowPatterns.length > 0 && allowed(text.slice(match.start, match.end))) continue;
        const ruleId = `secrets/${match.rule}`;
        findings.push({ ruleId, start: match.start, end: match.end, severity: match.severity, score: match.score, evidence: `${ruleId} ${match.hint}****` });
      }
      return findings;
    },
  };
}

const PEM_RULES = new Set(['private-key', 'encrypted-private-key']);

/** Drops matches inside a PEM block: the block's own finding covers (and rates) them. */
function insidePemBlocks(raw: RawMatch[]): RawMatch[] {
  const blocks = raw.filter((match) => PEM_RULES.has(match.rule)).sort((a, b) => a.start - b.start);
  if (blocks.length === 0) return raw;
  // Blocks do not overlap (a block's scan resumes after its end), so one binary search per match suffices.
  const inside = (match: RawMatch): boolean => {
    let lo = 0, hi = blocks.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid]!.start <= match.start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && match.end <= blocks[found]!.end;
  };
  return raw.filter((match) => PEM_RULES.has(match.rule) || !inside(match));
}

let defaultDetector: SecretDetector | undefined;

/** Secrets in `text` with the default rules (or the given options, compiled on each call). */
export function detectSecrets(text: string, options?: SecretDetectorOptions): SecretFinding[] {
  if (options) return compileSecretDetector(options).detect(text);
  defaultDetector ??= compileSecretDetector();
  return defaultDetector.detect(text);
}
