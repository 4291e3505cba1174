/**
 * text/term-list: finds listed words and phrases in the canonical view of each segment, in
 * decoded runs and in hidden-character payloads, with one automaton built at create time.
 */
import { z } from 'zod';
import { canonicalize } from '../../text/canonicalize.ts';
import { FindingCollector, SeveritySchema } from '../shared/result.ts';
import { defineScanner, type ScanInput, type ScanContext, type ScanResult, type ScanSegment } from '../types.ts';
import { Automaton } from './automaton.ts';
import { unsettledTail } from '../shared/stream-tail.ts';
import { Folder, type MatchView } from './fold.ts';
import { compileTerms, onBoundaries, type CompiledTerm, type TermEntry } from './terms.ts';

const TermObject = z
  .object({
    term: z.string().min(1).describe('The word or phrase to find.'),
    ruleId: z.string().min(1).optional().describe('Rule id reported for this term (default: see `ruleIdStyle`).'),
    severity: SeveritySchema.optional().describe('Severity for this term (default: the list `severity`).'),
  })
  .strict();

/** Configuration of text/term-list. */
export const TermListConfig = z
  .object({
    terms: z.array(z.union([z.string().min(1), TermObject])).default([]).describe('Terms to find: plain strings, or `{term, ruleId?, severity?}` objects. Whitespace in a term matches any run of whitespace.'),
    caseSensitive: z.boolean().default(false).describe('Match case exactly; by default `Bluebird`, `BLUEBIRD` and `bluebird` are the same.'),
    wholeWord: z.boolean().default(true).describe('Require a non-letter/digit (or the text edge) on each side of a match; skipped for edges in scripts written without spaces (CJK, Thai, ...).'),
    foldDiacritics: z.boolean().default(true).describe('Ignore Latin/Greek/Cyrillic accents and stray combining marks, so `bómb` and Zalgo text match `bomb`.'),
    severity: SeveritySchema.default('high').describe('Severity of a match unless the term sets its own.'),
    ruleIdPrefix: z.string().regex(/^[a-z0-9][a-z0-9_./-]*$/, 'expected lowercase letters, digits, ., /, - or _').default('term-list').describe('Prefix of generated rule ids.'),
    ruleIdStyle: z.enum(['index', 'slug']).default('index').describe('Generated rule ids: `<ruleIdPrefix>/term-<index in terms>`, or `<ruleIdPrefix>/<slug of the term>` (readable, but puts the term into events and logs).'),
    redactWith: z.string().default('[REDACTED]').describe('Replacement proposed for each match when the policy redacts.'),
    scanDecoded: z.boolean().default(true).describe('Also search decoded runs (base64, hex, URL, rot13) and decoded hidden-character payloads; a match there reports the whole run.'),
    maxFindings: z.number().int().min(1).max(100_000).default(1000).describe('Most findings reported per scan (redaction edits are never capped).'),
  })
  .strict();
export type TermListConfig = z.output<typeof TermListConfig>;

/** Compiled state of one instance. */
interface Compiled {
  config: TermListConfig;
  folder: Folder;
  terms: CompiledTerm[];
  automaton: Automaton;
}

function compile(config: TermListConfig): Compiled {
  const folder = new Folder({ caseSensitive: config.caseSensitive, foldDiacritics: config.foldDiacritics });
  const entries: TermEntry[] = config.terms.map((term) => (typeof term === 'string' ? { term } : term));
  const terms = compileTerms(entries, folder, {
    wholeWord: config.wholeWord,
    caseSensitive: config.caseSensitive,
    severity: config.severity,
    ruleIdPrefix: config.ruleIdPrefix,
    ruleIdStyle: config.ruleIdStyle,
  });
  const automaton = new Automaton(
    terms.map((term) => term.pattern),
    { asciiCaseInsensitive: !config.caseSensitive, collapseWhitespace: true },
  );
  return { config, folder, terms, automaton };
}

/** Scans one segment; returns its tail (characters at the end that could still begin a match). */
function scanSegment(compiled: Compiled, segment: ScanSegment, collector: FindingCollector): number {
  const { config, folder, terms, automaton } = compiled;
  const canonical = segment.canonical;
  const limit = segment.text.length;
  const view = folder.view(canonical.text);
  const pending = automaton.scan(view.text, (index, start, end) => {
    const term = terms[index]!;
    if (!onBoundaries(view.text, start, end, term)) return;
    const [canonicalStart, canonicalEnd] = Folder.toSource(view, start, end);
    const [from, to] = canonical.toOriginal(canonicalStart, canonicalEnd);
    const span: [number, number] = [Math.max(0, Math.min(from, limit)), Math.max(0, Math.min(to, limit))];
    collector.add(
      { ruleId: term.ruleId, message: 'Listed term found', severity: term.severity, score: 1, segmentId: segment.id, span, evidence: term.hint },
      config.redactWith,
    );
  });
  const [pendingCanonical] = Folder.toSource(view, pending, view.text.length);
  const pendingStart = pending >= view.text.length ? limit : canonical.toOriginal(pendingCanonical, canonical.text.length)[0];
  const tail = Math.max(limit - Math.min(pendingStart, limit), unsettledTail(segment.text));
  if (!config.scanDecoded) return tail;
  for (const run of canonical.decoded) matchWhole(compiled, segment, run.text, run.start, run.end, `${run.encoding}-decoded text`, collector);
  for (const run of canonical.hidden) {
    if (run.decoded) matchWhole(compiled, segment, run.decoded, run.start, run.end, `${run.kind} payload`, collector);
  }
  return tail;
}

/** Matches inside text that has no offset map to the segment (decoded runs): a hit reports the whole run. */
function matchWhole(compiled: Compiled, segment: ScanSegment, text: string, start: number, end: number, where: string, collector: FindingCollector): void {
  const { config, folder, terms, automaton } = compiled;
  if (start < 0 || end > segment.text.length || start > end) return;
  // Decoded text is attacker-chosen too: give it the same canonicalisation as the segment.
  const view: MatchView = folder.view(canonicalize(text).text);
  automaton.scan(view.text, (index, matchStart, matchEnd) => {
    const term = terms[index]!;
    if (!onBoundaries(view.text, matchStart, matchEnd, term)) return;
    collector.add(
      { ruleId: term.ruleId, message: `Listed term found in ${where}`, severity: term.severity, score: 1, segmentId: segment.id, span: [start, end], evidence: `${term.hint} in ${where}` },
      config.redactWith,
    );
  });
}

/** Term-list scanner definition. */
export const termListScanner = defineScanner({
  id: 'text/term-list',
  description:
    'Finds listed words and phrases, after NFKC, homoglyph folding and hidden-character removal, and inside decoded base64/hex/URL/rot13 runs and hidden payloads. ' +
    'One finding per match (score 1, the term\'s severity; rule id `term-list/term-<index>`, the term\'s slug or its own id; never the term in evidence), with a proposed redaction of the original span. ' +
    'Outcome: fail if any finding is high or critical, flag if any is low or medium, else pass; score: the highest finding score, 0 when none.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: TermListConfig,
  create(config) {
    const compiled = compile(config);
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        if (compiled.automaton.size === 0) return collector.result();
        let tail = 0;
        for (const segment of input.segments) {
          context.signal.throwIfAborted();
          tail = scanSegment(compiled, segment, collector);
        }
        return input.phase === 'response-stream' ? { ...collector.result(), tail } : collector.result();
      },
    };
  },
});
