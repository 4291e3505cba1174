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
import { bundledModelPath, loadModel, type InjectionModel } from './model.ts';
import { SIGNATURES_VERSION } from './signatures.ts';

export const InjectionConfig = z
  .object({
    signatures: z.boolean().default(true).describe('Report signature matches (instruction override, role hijack, delimiter injection, ...) as findings of their own; the classifier uses them either way.'),
    classifier: z.boolean().default(true).describe('Run the n-gram classifier and report its calibrated probability as a `prompt-injection/classifier` finding over the whole segment.'),
    modelPath: z.string().default('').describe('Model file to load instead of the bundled `models/<task>.json` (format `bulwark-injection-lr/1`, written by `npm run train:injection`).'),
    reportAbove: z.number().min(0).max(1).default(0.2).describe('Classifier findings scoring below this are not reported at all (the policy threshold decides what counts).'),
    maxFindings: z.number().int().min(1).max(10_000).default(100).describe('Most findings reported per scan.'),
    judge: InjectionJudgeConfig.prefault({}).describe('Optional LLM judge for uncertain scores (needs `judge.model` in the config); see ADR 0010.'),
  })
  .strict();
export type InjectionConfig = z.output<typeof InjectionConfig>;

export const CLASSIFIER_RULE = 'prompt-injection/classifier';

function severityOf(score: number): Severity {
  return score >= 0.9 ? 'high' : score >= 0.5 ? 'medium' : 'low';
}

/** A scanner instance outside the policy machinery, for `bulwark eval` and benchmarks. */
export interface InjectionScanner {
  scan(input: ScanInput, context: ScanContext): ScanResult;
  /** One segment's findings (uncapped) and combined risk; `scan` is these, merged and capped. */
  scanSegment(segment: ScanSegment): { findings: Finding[]; risk: number };
  readonly model: InjectionModel | null;
  readonly maxFindings: number;
}

export function createInjectionScanner(config: InjectionConfig, mode: InjectionMode, task: string): InjectionScanner {
  const model = config.classifier ? loadModel(config.modelPath || bundledModelPath(task)) : null;
  const scanSegment = (segment: ScanSegment): { findings: Finding[]; risk: number } => {
    const findings: Finding[] = [];
    const analysis = analyze(segment.canonical, { mode, model, signatures: config.signatures });
    for (const hit of analysis.signatures) {
      if (findings.length >= config.maxFindings) break;
      findings.push({ ruleId: hit.ruleId, message: `Injection signature: ${hit.description}${hit.where === 'text' ? '' : ` (in ${hit.where})`}`, severity: severityOf(hit.score), score: hit.score, segmentId: segment.id, span: hit.span, evidence: `signatures ${SIGNATURES_VERSION}` });
    }
    const probability = analysis.classifier;
    if (probability !== null && probability >= config.reportAbove) {
      findings.push({ ruleId: CLASSIFIER_RULE, message: `Injection classifier probability ${probability.toFixed(3)}`, severity: severityOf(probability), score: probability, segmentId: segment.id, span: [0, segment.text.length], evidence: `model ${model?.meta.task} ${model?.meta.dataSha256.slice(0, 12)}` });
    }
    return { findings, risk: Math.min(1, Math.max(0, analysis.risk)) };
  };
  return {
    model,
    maxFindings: config.maxFindings,
    scanSegment,
    scan(input, context) {
      const findings: Finding[] = [];
      let risk = 0;
      for (const segment of input.segments) {
        context.signal.throwIfAborted();
        const one = scanSegment(segment);
        if (one.risk > risk) risk = one.risk;
        for (const finding of one.findings) if (findings.length < config.maxFindings) findings.push(finding);
      }
      return { outcome: outcomeOf(findings), score: risk, findings };
    },
  };
}

const SCORE_TEXT =
  'Score: the combined risk in [0,1], the larger of the calibrated classifier probability (which already weighs the signature hits) and the strongest signature score. ' +
  'Findings: one per signature rule matched (span of the match, or the whole decoded run / hidden payload it was found in) and one `prompt-injection/classifier` finding over the whole segment. ' +
  'Severity: high at 0.9 and above, medium at 0.5, else low; outcome: fail if any finding is high, flag if any is medium or low, else pass. The policy instance `threshold` decides what blocks. ' +
  'With `judge.enabled`, a segment scoring inside [uncertainLow, uncertainHigh) is judged by the LLM judge: "injection" adds a `prompt-injection/judge` finding scored max(score, confidence), "clean" caps the segment\'s findings at 1 - confidence; a failed or unparseable judge answer keeps the score and adds a note.';

export function injectionDefinition(id: string, task: string, mode: InjectionMode, what: string): ScannerDefinition<InjectionConfig> {
  return defineScanner({
    id,
    description: `${what} Signatures and a hashed n-gram logistic-regression classifier run on the canonical text (NFKC, homoglyphs folded, hidden characters removed) and on decoded base64/hex/URL/rot13 runs and hidden payloads. ${SCORE_TEXT}`,
    phases: ['request', 'response', 'response-stream'],
    configSchema: InjectionConfig,
    create(config, deps) {
      const scanner = createInjectionScanner(config, mode, task);
      if (!config.judge.enabled) return scanner;
      return withJudge(scanner, { ...config.judge, mode, scannerId: id }, requireJudge(deps, `${id} with judge.enabled`), deps.logger);
    },
  });
}
