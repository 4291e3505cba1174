/**
 * Builds the two injection scanners from one definition factory: they differ only in id, in the
 * bundled model, and in how much a signature weighs (an instruction addressed to the assistant is
 * normal in a user turn and an attack inside a document).
 */
import { z } from 'zod';
import type { Finding, ScanContext, ScanInput, ScanResult, ScanSegment, ScannerDefinition, Severity } from '../types.ts';
import { defineScanner } from '../types.ts';
import { outcomeOf } from '../shared/result.ts';
import { requireJudge } from '../shared/judge.ts';
import { analyze, type InjectionMode } from './detector.ts';
import { InjectionJudgeConfig, withJudge } from './judge.ts';
import { OnnxConfig, openOnnxClassifier, withOnnx } from './onnx/layer.ts';
import { bundledModelPath, loadModel, type InjectionModel } from './model.ts';
import { prepareSignatures } from './signatures.ts';
import { prepareTextFeatures } from './text-features.ts';
import { BUILTIN_RULES, type ActiveRules, type RulesSource } from '../../rules/active-rules.ts';

export const InjectionConfig = z
  .object({
    signatures: z.boolean().default(true).describe('Report signature matches (instruction override, role hijack, delimiter injection, ...) as findings of their own; the classifier uses them either way.'),
    classifier: z.boolean().default(true).describe('Run the n-gram classifier and report its calibrated probability as a `prompt-injection/classifier` finding over the whole segment.'),
    modelPath: z.string().default('').describe('Model file to load instead of the bundled `models/<task>.json` (format `bulwark-injection-lr/1`, written by `npm run train:injection`).'),
    reportAbove: z.number().min(0).max(1).default(0.2).describe('Classifier findings scoring below this are not reported at all (the policy threshold decides what counts).'),
    maxFindings: z.number().int().min(1).max(10_000).default(100).describe('Most findings reported per scan.'),
    onnx: OnnxConfig.prefault({}).describe('Optional ONNX sequence classifier combined with the linear one (src/scanners/injection/onnx/README.md, ADR 0017).'),
    judge: InjectionJudgeConfig.prefault({}).describe('Optional LLM judge for uncertain scores (needs `judge.model` in the config); see ADR 0010.'),
  })
  .strict();
export type InjectionConfig = z.output<typeof InjectionConfig>;

export const CLASSIFIER_RULE = 'prompt-injection/classifier';

function severityOf(score: number): Severity {
  return score >= 0.9 ? 'high' : score >= 0.5 ? 'medium' : 'low';
}

/** One segment's findings (uncapped), combined risk, and the classifier probability alone (null: classifier off). */
export interface SegmentScan {
  findings: Finding[];
  risk: number;
  classifier: number | null;
}

/** A scanner instance outside the policy machinery, for `bulwark eval` and benchmarks. */
export interface InjectionScanner {
  scan(input: ScanInput, context: ScanContext): ScanResult;
  /** One segment under `rules` (default: the current rules); `scan` is these, merged and capped. */
  scanSegment(segment: ScanSegment, rules?: ActiveRules): SegmentScan;
  /** The rules a scan starting now uses (built-in, or the active signed bundle). */
  rules(): ActiveRules;
  /** The `reportAbove` in force under `rules` (a bundle threshold replaces the instance's). */
  reportAbove(rules: ActiveRules): number;
  readonly model: InjectionModel | null;
  readonly maxFindings: number;
}

/** What a layer on top of the scanner (ONNX, judge) needs from the layer below; scanSegment may be async. */
export interface SegmentScanner {
  scanSegment(segment: ScanSegment, rules: ActiveRules): SegmentScan | Promise<SegmentScan>;
  rules(): ActiveRules;
  reportAbove(rules: ActiveRules): number;
  readonly maxFindings: number;
}

export function createInjectionScanner(config: InjectionConfig, mode: InjectionMode, task: string, source?: RulesSource): InjectionScanner {
  const model = config.classifier ? loadModel(config.modelPath || bundledModelPath(task)) : null;
  prepareSignatures(); // built now, at start-up, not on the first request
  if (model) prepareTextFeatures(); // the classifier's one-off JIT warm-up (text-features.ts), likewise
  const currentRules = (): ActiveRules => source?.current() ?? BUILTIN_RULES;
  const reportAbove = (rules: ActiveRules): number => rules.thresholds[task as keyof ActiveRules['thresholds']]?.reportAbove ?? config.reportAbove;
  const scanSegment = (segment: ScanSegment, rules: ActiveRules = currentRules()): SegmentScan => {
    const findings: Finding[] = [];
    const analysis = analyze(segment.canonical, { mode, model, signatures: config.signatures, rules });
    for (const hit of analysis.signatures) {
      if (findings.length >= config.maxFindings) break;
      findings.push({ ruleId: hit.ruleId, message: `Injection signature: ${hit.description}${hit.where === 'text' ? '' : ` (in ${hit.where})`}`, severity: severityOf(hit.score), score: hit.score, segmentId: segment.id, span: hit.span, evidence: `rules ${rules.version}` });
    }
    const probability = analysis.classifier;
    if (probability !== null && probability >= reportAbove(rules)) {
      findings.push({ ruleId: CLASSIFIER_RULE, message: `Injection classifier probability ${probability.toFixed(3)}`, severity: severityOf(probability), score: probability, segmentId: segment.id, span: [0, segment.text.length], evidence: `model ${model?.meta.task} ${model?.meta.dataSha256.slice(0, 12)}` });
    }
    return { findings, risk: Math.min(1, Math.max(0, analysis.risk)), classifier: probability };
  };
  return {
    model,
    maxFindings: config.maxFindings,
    scanSegment,
    rules: currentRules,
    reportAbove,
    scan(input, context) {
      // One rule set per scan: a bundle swapped in meanwhile applies from the next scan on.
      const rules = currentRules();
      const findings: Finding[] = [];
      let risk = 0;
      for (const segment of input.segments) {
        context.signal.throwIfAborted();
        const one = scanSegment(segment, rules);
        if (one.risk > risk) risk = one.risk;
        for (const finding of one.findings) if (findings.length < config.maxFindings) findings.push(finding);
      }
      return { outcome: outcomeOf(findings), score: risk, findings, rulesVersion: rules.version };
    },
  };
}

const SCORE_TEXT =
  'Score: the combined risk in [0,1], the larger of the calibrated classifier probability (which already weighs the signature hits) and the strongest signature score. ' +
  'Findings: one per signature rule matched (span of the match, or the whole decoded run / hidden payload it was found in) and one `prompt-injection/classifier` finding over the whole segment. ' +
  'Severity: high at 0.9 and above, medium at 0.5, else low; outcome: fail if any finding is high, flag if any is medium or low, else pass. The policy instance `threshold` decides what blocks. ' +
  'With `onnx.enabled`, the classifier score is (1 - onnx.weight) * linear + onnx.weight * the ONNX probability (highest over up to maxChunks chunks), reported in the same `prompt-injection/classifier` finding; an ONNX failure fails the scan (the instance `onError` applies). ' +
  'With `judge.enabled`, a segment scoring inside [uncertainLow, uncertainHigh) is judged by the LLM judge: "injection" adds a `prompt-injection/judge` finding scored max(score, confidence), "clean" caps the segment\'s findings at 1 - confidence; a failed or unparseable judge answer keeps the score and adds a note.';

export function injectionDefinition(id: string, task: string, mode: InjectionMode, what: string): ScannerDefinition<InjectionConfig> {
  return defineScanner({
    id,
    description: `${what} Signatures and a hashed n-gram logistic-regression classifier run on the canonical text (NFKC, homoglyphs folded, hidden characters removed) and on decoded base64/hex/URL/rot13 runs and hidden payloads. ${SCORE_TEXT}`,
    phases: ['request', 'response', 'response-stream'],
    configSchema: InjectionConfig,
    create(config, deps) {
      const linear = createInjectionScanner(config, mode, task, deps.rules);
      const classifier = config.onnx.enabled ? openOnnxClassifier(config.onnx, deps.logger, id) : null;
      const scanner = classifier ? withOnnx(linear, classifier, config.onnx.weight, CLASSIFIER_RULE) : linear;
      if (!config.judge.enabled) return scanner;
      return withJudge(scanner, { ...config.judge, mode, scannerId: id }, requireJudge(deps, `${id} with judge.enabled`), deps.logger);
    },
  });
}
