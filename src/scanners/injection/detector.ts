/**
 * One analysis of a canonical text for injection: signatures on the canonical view, decoded
 * runs and hidden payloads, then the classifier over all of it with the signature hits as
 * features. Shared by the scanners and by `bulwark eval`, so both measure the same thing.
 */
import { canonicalTextOf } from '../../text/canonicalize.ts';
import type { CanonicalText } from '../../text/types.ts';
import type { InjectionModel } from './model.ts';
import { maxPieceMargin } from './piece-features.ts';
import { evasionViews } from './views.ts';
import { withGloss } from './gloss.ts';
import { ADVERSARIAL_SUFFIX_ID, matchSignatures, SIGNATURES } from './signatures.ts';
import { BUILTIN_RULES, matchBundleSignatures, type ActiveRules } from '../../rules/active-rules.ts';

export type InjectionMode = 'direct' | 'indirect';

/** The suffix detector is noisy on code and JSON, so alone it never reaches a blocking score. */
const SUFFIX_SCORE = 0.35;

/** Texts longer than this are classified in overlapping chunks; the highest chunk wins. */
const CHUNK = 16_384;
const OVERLAP = 1_024;

export interface SignatureFinding {
  ruleId: string;
  description: string;
  score: number;
  /** Span in the original text. */
  span: [number, number];
  where: string;
}

export interface Analysis {
  /** Calibrated classifier probability, or null when the classifier is off. */
  classifier: number | null;
  signatures: SignatureFinding[];
  /** Combined risk: the classifier (which already weighs the hits) or the strongest signature. */
  risk: number;
}

export interface DetectorOptions {
  mode: InjectionMode;
  model: InjectionModel | null;
  signatures: boolean;
  /** Built-in signatures as adjusted by the active signed bundle, plus its own (RE2) signatures; default: built-in only. */
  rules?: ActiveRules;
}

function signatureMeta(index: number, mode: InjectionMode, rules: ActiveRules): { ruleId: string; description: string; score: number } {
  const signature = SIGNATURES[index];
  const override = rules.scores.get(index)?.[mode];
  if (!signature) return { ruleId: ADVERSARIAL_SUFFIX_ID, description: 'machine-made token soup trailing the text (optimised adversarial suffix)', score: override ?? SUFFIX_SCORE };
  return { ruleId: signature.id, description: signature.description, score: override ?? signature.score[mode] };
}

/** Signature hits and the text the classifier reads (canonical view plus decoded payloads). */
export interface Inspection {
  /** The canonical text and each decoded payload, scored separately so an encoded blob cannot dilute its payload. */
  parts: string[];
  text: string;
  ids: number[];
  found: SignatureFinding[];
}

/**
 * Collects one inspection's findings. A class rather than closures made per call: the tsx loader
 * wraps every named closure in a `__name` call (a defineProperty), which showed in profiles.
 */
class Recorder {
  readonly found: SignatureFinding[] = [];
  readonly ids = new Set<number>();

  constructor(
    private readonly limit: number,
    private readonly mode: InjectionMode,
    private readonly rules: ActiveRules,
  ) {}

  private clamp(span: [number, number]): [number, number] {
    return [Math.max(0, Math.min(span[0], this.limit)), Math.max(0, Math.min(span[1], this.limit))];
  }

  record(index: number, span: [number, number], where: string): void {
    if (this.rules.disabled.has(index)) return;
    this.ids.add(index);
    const meta = signatureMeta(index, this.mode, this.rules);
    this.found.push({ ruleId: meta.ruleId, description: meta.description, score: meta.score, span: this.clamp(span), where });
  }

  /** Bundle signatures are reported but are not classifier features (the weights predate them). */
  recordBundle(index: number, span: [number, number], where: string): void {
    const signature = this.rules.signatures[index]!;
    this.found.push({ ruleId: signature.id, description: signature.description, score: signature.score[this.mode], span: this.clamp(span), where });
  }
}

/** Runs the signatures over the canonical view, decoded runs and hidden payloads. */
export function inspect(canonical: CanonicalText, mode: InjectionMode, rules: ActiveRules = BUILTIN_RULES): Inspection {
  const limit = canonical.original.length;
  const recorder = new Recorder(limit, mode, rules);
  const { found, ids } = recorder;
  const parts: string[] = [canonical.text];
  for (const hit of matchSignatures(canonical.text)) recorder.record(hit.index, canonical.toOriginal(hit.start, hit.end), 'text');
  for (const hit of matchBundleSignatures(rules, canonical.text)) recorder.recordBundle(hit.index, canonical.toOriginal(hit.start, hit.end), 'text');
  const extras: { text: string; start: number; end: number; where: string }[] = [];
  for (const run of canonical.decoded) extras.push({ text: run.text, start: run.start, end: run.end, where: `${run.encoding}-decoded text` });
  for (const run of canonical.hidden) if (run.decoded) extras.push({ text: run.decoded, start: run.start, end: run.end, where: `${run.kind} payload` });
  // Evasions the core leaves in place (rot13 in other languages, interleaved tag characters, leetspeak).
  for (const view of evasionViews(canonical)) extras.push({ text: view.text, start: 0, end: limit, where: view.where });
  for (const extra of extras) {
    // Decoded text is attacker-chosen too: it gets the same canonicalisation as the segment (only its text is read).
    const text = canonicalTextOf(extra.text);
    parts.push(text);
    for (const hit of matchSignatures(text)) recorder.record(hit.index, [extra.start, extra.end], extra.where);
    for (const hit of matchBundleSignatures(rules, text)) recorder.recordBundle(hit.index, [extra.start, extra.end], extra.where);
  }
  // Direct mode: each part also carries the English glosses of its foreign concept words (gloss.ts), a
  // line the classifier reads and the signatures do not. The indirect piece model reads parts unchanged.
  if (mode === 'direct') for (let i = 0; i < parts.length; i++) parts[i] = withGloss(parts[i]!);
  return { parts, text: parts.join('\n'), ids: [...ids].sort((a, b) => a - b), found };
}

/** Calibrated probability over `text`, chunked so long documents cost linear time and keep local signal. */
export function classify(model: InjectionModel, text: string, ids: readonly number[]): number {
  let best = 0;
  for (let start = 0; ; start += CHUNK - OVERLAP) {
    const p = model.probability(text.slice(start, start + CHUNK), ids);
    if (p > best) best = p;
    if (start + CHUNK >= text.length) break;
  }
  return best;
}

/** Highest segment-model margin over the pieces of `text` (-Infinity without a segment model). */
export function maxSegmentMargin(model: InjectionModel, text: string): number {
  // One pass over the document, the same double as scoring each piecesWithContext string with model.segmentMargin.
  return maxPieceMargin(model, text);
}

/** Analyses one canonical text. */
export function analyze(canonical: CanonicalText, options: DetectorOptions): Analysis {
  const { parts, text, ids, found } = inspect(canonical, options.mode, options.rules);
  let classifier: number | null = null;
  const model = options.model;
  if (model?.segmentWeights) {
    // Indirect models carry a piece-level model that replaces the whole-text one: an instruction is
    // judged on its own line or sentence, not diluted by (or blamed on) the document around it.
    classifier = 0;
    for (const part of parts) classifier = Math.max(classifier, model.segmentProbability(maxSegmentMargin(model, part)));
  } else if (model) {
    // The direct model was trained on every part joined, so the text as written is read with what it
    // decodes to, never its encoded surface alone (base64 or rot13 of a benign prompt is not an attack);
    // each decoded part is also read alone, so a long wrapper cannot dilute its payload.
    classifier = classify(model, text, ids);
    for (let i = 1; i < parts.length; i++) classifier = Math.max(classifier, classify(model, parts[i]!, ids));
  }
  const signatures = options.signatures ? found : [];
  let risk = classifier ?? 0;
  for (const finding of signatures) if (finding.score > risk) risk = finding.score;
  return { classifier, signatures, risk };
}
