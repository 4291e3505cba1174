/**
 * The `redacted` rendering of opened `full` content: every finding span replaced by `[REDACTED]`,
 * as src/proxy/event-draft.ts masks content of `redacted` tenants before it is stored.
 *
 * Opened content is the text `full` stores: each scanned segment as `<origin>: <text>`, joined by
 * newlines (cut at 32 768 characters and marked `…[truncated]`). Findings carry their segment's
 * origin and a span in that segment's text, but the stored text keeps no segment boundaries, so a
 * segment can start at any line that begins with `<origin>: ` (a segment's own text may hold such
 * lines too). Fail-safe placement: every such start is a candidate, the true one among them. When
 * the finding has a match fingerprint, the candidates whose text has that fingerprint are masked
 * (the true one always has it; another with the same text is the same value); when none has it
 * (no fingerprint, or made under a master key no longer held), every candidate is masked. Masking
 * too much loses context; masking too little would leak the matched value, which never happens.
 */
import { CONTENT_MASK, segmentPrefix, TRUNCATION_MARK } from '../store/stored-content.ts';
import type { FindingRecord } from '../store/types.ts';

export type Fingerprinter = (matchedText: string) => string;

/** What masking needs of a finding. */
export type MaskFinding = Pick<FindingRecord, 'origin' | 'span' | 'matchFingerprint'>;

export interface OpenedContent {
  request?: string;
  response?: string;
}

/**
 * Both phases' texts masked for every finding (a finding's phase is not recorded, so it is
 * placed in either text). `fingerprinters`: one per master key that may have made the findings'
 * fingerprints (src/review/fingerprint.ts); empty masks every candidate.
 */
export function redactOpened(content: OpenedContent, findings: readonly MaskFinding[], fingerprinters: readonly Fingerprinter[]): OpenedContent {
  const texts = (['request', 'response'] as const).filter((phase) => typeof content[phase] === 'string').map((phase) => ({ phase, ...splitTruncation(content[phase]!) }));
  const masks = new Map<string, [number, number][]>(texts.map((text) => [text.phase, []]));
  for (const finding of findings) {
    const [start, end] = finding.span;
    if (finding.origin === '' || !(end > start) || start < 0) continue;
    const candidates: { phase: string; from: number; to: number; body: string }[] = [];
    for (const text of texts) {
      for (const at of segmentStarts(text.body, finding.origin)) {
        const from = at + start;
        if (from < text.body.length) candidates.push({ phase: text.phase, from, to: at + end, body: text.body });
      }
    }
    const fingerprint = finding.matchFingerprint;
    const matched = fingerprint === undefined ? [] : candidates.filter((c) => c.to <= c.body.length && fingerprinters.some((print) => print(c.body.slice(c.from, c.to)) === fingerprint));
    // A candidate cut by the truncation cannot be checked: masked too when others matched.
    const chosen = matched.length === 0 ? candidates : candidates.filter((c) => matched.includes(c) || c.to > c.body.length);
    for (const c of chosen) masks.get(c.phase)!.push([c.from, Math.min(c.to, c.body.length)]);
  }
  const out: OpenedContent = {};
  for (const text of texts) out[text.phase] = applyMasks(text.body, masks.get(text.phase)!) + text.suffix;
  return out;
}

/** The stored text without its truncation mark (spans index the text before it was cut). */
function splitTruncation(text: string): { body: string; suffix: string } {
  return text.endsWith(TRUNCATION_MARK) ? { body: text.slice(0, -TRUNCATION_MARK.length), suffix: TRUNCATION_MARK } : { body: text, suffix: '' };
}

/** Offsets where a segment of this origin may start its text: after `<origin>: ` at the start of a line. */
function segmentStarts(body: string, origin: string): number[] {
  const prefix = segmentPrefix(origin);
  const starts: number[] = [];
  for (let line = 0; line <= body.length; ) {
    if (body.startsWith(prefix, line)) starts.push(line + prefix.length);
    const next = body.indexOf('\n', line);
    if (next === -1) break;
    line = next + 1;
  }
  return starts;
}

/** Each run of overlapping spans becomes one `[REDACTED]`. */
function applyMasks(body: string, spans: [number, number][]): string {
  if (spans.length === 0) return body;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from < last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  let out = '';
  let at = 0;
  for (const [from, to] of merged) {
    out += body.slice(at, from) + CONTENT_MASK;
    at = to;
  }
  return out + body.slice(at);
}
