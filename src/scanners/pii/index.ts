/**
 * data/pii: personal data in prompts and responses. Validating recognisers (checksums, issuer
 * ranges, context words) for identifiers, a token tagger for names, addresses, places and
 * organisations; allow/deny lists per policy instance; one styled edit per finding.
 */
import { z } from 'zod';
import { patternProblem, compilePattern, forEachMatch, type CompiledPattern } from '../regex/compile.ts';
import { placeholderAllocator } from '../shared/placeholders.ts';
import { FindingCollector } from '../shared/result.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment } from '../types.ts';
import { detectPii, resolveOverlaps, type PiiEntity } from './detect.ts';
import { DEFAULT_TYPES, entityInfo, PII_TYPES } from './entities.ts';
import { kernelOf } from './infer.ts';
import { evidenceHint, STYLES, styled, type StyleOptions } from './styles.ts';
import { defaultTaggerModel } from './tagger.ts';

export { detectPii, type DetectOptions, type PiiEntity } from './detect.ts';
export { PII_TYPES, DEFAULT_TYPES } from './entities.ts';

const TypeName = z.enum(PII_TYPES as [string, ...string[]]);
const Style = z.enum(STYLES);
const Pattern = z.string().min(1).superRefine((pattern, ctx) => {
  const problem = patternProblem('pii', pattern, 'i');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Configuration of data/pii. */
export const PiiConfig = z
  .object({
    entities: z.array(TypeName).default([...DEFAULT_TYPES]).describe('Entity types to detect (rule id `pii/<TYPE>`); default: every type except DATE_TIME, TITLE, AGE and NRP (common in ordinary prose).'),
    thresholds: z.partialRecord(TypeName, z.number().min(0).max(1)).default({}).describe('Minimum confidence per entity type, overriding its built-in threshold (0.5 for validated identifiers, 0.65 for tagged types).'),
    allowList: z.array(z.string().min(1)).default([]).describe('Values never reported (compared case-insensitively with the whole detected value), e.g. a support address.'),
    allowPatterns: z.array(Pattern).default([]).describe('RE2 patterns (case-insensitive); a detected value they match anywhere is not reported.'),
    denyList: z.array(z.string().min(1)).default([]).describe('Strings always reported as `pii/DENY_LIST` wherever they occur (case-insensitive), e.g. a project code name.'),
    denyPatterns: z.array(Pattern).default([]).describe('RE2 patterns (case-insensitive) always reported as `pii/DENY_LIST`.'),
    style: z.partialRecord(z.union([TypeName, z.literal('DENY_LIST')]), Style).default({}).describe('Replacement style per entity type: placeholder, mask, hash, fake or pseudonymise.'),
    defaultStyle: Style.default('placeholder').describe('Style for types not listed in `style`: `placeholder` gives `<EMAIL_ADDRESS_1>` from the request\'s allocator.'),
    maskKeep: z.number().int().min(0).max(8).default(4).describe('Trailing digits kept by `mask` for cards, IBANs and routing numbers (`****1234`).'),
    hashKey: z.string().min(1).default('bulwark-pii').describe('Key for `hash` and `fake` (HMAC-SHA256): set your own so hashes cannot be confirmed by guessing values.'),
    tagger: z.boolean().default(true).describe('Run the token tagger (PERSON, STREET_ADDRESS, LOCATION, ORGANIZATION, TITLE, AGE, NRP, DATE_TIME, ZIP_CODE). Off: validated identifiers only, several times faster.'),
    scanCanonical: z.boolean().default(true).describe('Also scan the canonical view (full-width digits, zero-width splits removed), mapped back to the original text.'),
    maxFindings: z.number().int().min(1).max(100_000).default(1000).describe('Most findings reported per scan (redaction edits are never capped).'),
  })
  .strict();
export type PiiConfig = z.output<typeof PiiConfig>;

interface Compiled {
  config: PiiConfig;
  allow: Set<string>;
  allowPatterns: CompiledPattern[];
  deny: string[];
  denyPatterns: CompiledPattern[];
}

function compile(config: PiiConfig): Compiled {
  // Load the tagger and assemble its WebAssembly kernel now (~40 ms), at start-up, not on the first request.
  if (config.tagger) {
    const model = defaultTaggerModel();
    if (model) kernelOf(model);
  }
  return {
    config,
    allow: new Set(config.allowList.map((value) => value.trim().toLowerCase())),
    allowPatterns: config.allowPatterns.map((pattern, i) => compilePattern(`allowPatterns[${i}]`, pattern, 'i')),
    deny: config.denyList.map((value) => value.toLowerCase()).filter((value) => value.length > 0),
    denyPatterns: config.denyPatterns.map((pattern, i) => compilePattern(`denyPatterns[${i}]`, pattern, 'i')),
  };
}

function allowed(compiled: Compiled, value: string): boolean {
  if (compiled.allow.has(value.trim().toLowerCase())) return true;
  return compiled.allowPatterns.some((pattern) => {
    pattern.regex.lastIndex = 0;
    return pattern.regex.test(value);
  });
}

/** Entities of the original text plus those only the canonical view shows, mapped back. */
function entitiesOf(compiled: Compiled, segment: ScanSegment): { entity: PiiEntity; value: string }[] {
  const { config } = compiled;
  const text = segment.text;
  const options = { types: config.entities, thresholds: config.thresholds, ...(config.tagger ? {} : { model: null }) };
  let found = detectPii(text, options).map((entity) => ({ entity, value: text.slice(entity.start, entity.end) }));
  const canonical = segment.canonical;
  if (config.scanCanonical && canonical.text !== text) {
    // Both views go through one overlap resolution, so a card seen only in the canonical view
    // beats whatever the tagger made of the obfuscated original.
    const byEntity = new Map<PiiEntity, string>(found.map((f) => [f.entity, f.value]));
    for (const entity of detectPii(canonical.text, options)) {
      const [from, to] = canonical.toOriginal(entity.start, entity.end);
      const start = Math.max(0, Math.min(from, text.length));
      const end = Math.max(start, Math.min(to, text.length));
      if (end > start) byEntity.set({ ...entity, start, end }, canonical.text.slice(entity.start, entity.end));
    }
    found = resolveOverlaps([...byEntity.keys()]).map((entity) => ({ entity, value: byEntity.get(entity)! }));
  }
  // Lowercasing can change the length of a few characters (e.g. U+0130); offsets then no longer map, so deny terms are skipped.
  const lower = compiled.deny.length > 0 ? text.toLowerCase() : text;
  for (const term of lower.length === text.length ? compiled.deny : []) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      found.push({ entity: { type: 'DENY_LIST', start: at, end: at + term.length, score: 1 }, value: text.slice(at, at + term.length) });
    }
  }
  for (const pattern of compiled.denyPatterns) {
    forEachMatch(pattern.regex, text, (start, end) => found.push({ entity: { type: 'DENY_LIST', start, end, score: 1 }, value: text.slice(start, end) }));
  }
  // A denied term replaces whatever else was seen on its span.
  const denied = found.filter((f) => f.entity.type === 'DENY_LIST');
  if (denied.length === 0) return found.filter((f) => !allowed(compiled, f.value));
  return found.filter((f) => (f.entity.type === 'DENY_LIST' ? true : !allowed(compiled, f.value) && !denied.some((d) => d.entity.start < f.entity.end && f.entity.start < d.entity.end)));
}

function scanSegment(compiled: Compiled, segment: ScanSegment, collector: FindingCollector, styles: StyleOptions): void {
  const { config } = compiled;
  for (const { entity, value } of entitiesOf(compiled, segment)) {
    const info = entityInfo(entity.type);
    const style = config.style[entity.type] ?? config.defaultStyle;
    collector.add(
      {
        ruleId: `pii/${entity.type}`,
        message: entity.type === 'DENY_LIST' ? 'Denied term' : `${entity.type.toLowerCase().replace(/_/g, ' ')} detected`,
        severity: info?.severity ?? 'high',
        score: Math.round(entity.score * 1000) / 1000,
        segmentId: segment.id,
        span: [entity.start, entity.end],
        evidence: evidenceHint(entity.type, value),
      },
      styled(style, entity.type, value, styles),
    );
  }
}

/** PII scanner definition. */
export const piiScanner = defineScanner({
  id: 'data/pii',
  description:
    'Finds personal data: payment cards (Luhn + issuer ranges), IBANs (mod-97 + country length), US SSN/ITIN/routing numbers, UK NHS/NI numbers, Aadhaar (Verhoeff), PAN, EU VAT ids, ' +
    'passport/licence/medical-record/health-plan numbers near context words, emails, phone numbers (libphonenumber), IP and MAC addresses, URLs (with credentials), dates of birth, ' +
    'and names, street addresses, locations, organisations, titles, ages and nationalities from a token tagger (models/pii-tagger.json). ' +
    'One finding per entity (rule id `pii/<TYPE>`, score = confidence, severity by type) with an edit in the configured style. ' +
    'Outcome: fail if any finding is high or critical, flag if any is low or medium, else pass; score: the highest finding score, 0 when none.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: PiiConfig,
  create(config) {
    const compiled = compile(config);
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        const styles: StyleOptions = { allocator: () => placeholderAllocator(context.state), hashKey: config.hashKey, maskKeep: config.maskKeep };
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          scanSegment(compiled, segment, collector, styles);
        }
        return collector.result();
      },
    };
  },
});
