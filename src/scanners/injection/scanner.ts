/**
 * Builds the two injection scanners from one definition factory: they differ only in id, in the
 * bundled model, and in how much a signature weighs (an instruction addressed to the assistant is
 * normal in a user turn and an attack inside a document).
 */
import { z } from 'zod';
import type { Finding, ScanContext, ScanInput, ScanResult, ScannerDefinition, Severity } from '../types.ts';
import { defineScanner } from '../types.ts';
import { outcomeOf } from '../shared/result.ts';
import { analyze, type InjectionMode } from './detector.ts';
import { bundledModelPath, loadModel, type InjectionModel } from './model.ts';
import { SIGNATURES_VERSION } from './signatures.ts';

export const InjectionConfig = z
  .object({
    signatures: z.boolean().default(true).describe('Report signature matches (instruction override, role hijack, delimiter injection, ...) as findings of their own; the classifier uses them either way.'),
    classifier: z.boolean().default(true).describe('Run the n-gram classifier and report its calibrated probability as a `prompt-injection/classifier` finding over the whole segment.'),
    modelPath: z.string().default('').describe('Model file to load instead of the bundled `models/<task>.json` (format `bulwark-injection-lr/1`, written by `npm run train:injection`).'),
    reportAbove: z.number().min(0).max(1).default(0.2).describe('Classifier findings scoring below this are not reported at all (the policy threshold decides what counts).'),
    maxFindings: z.number().int().min(1).max(10_000).default(100).describe('Most findings reported per scan.'),
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
  readonly model: InjectionModel | null;
}

export function createInjectionScanner(config: InjectionConfig, mode: InjectionMode, task: string): InjectionScanner {
  const model = config.classifier ? loadModel(config.modelPath || bundledModelPath(task)) : null;
  return {
    model,
    scan(input, context) {
      const findings: Finding[] = [];
      let risk = 0;
      for (const segment of input.segments) {
        context.signal.throwIfAborted();
        const analysis = analyze(segment.canonical, { mode, model, signatures: config.signatures });
        if (analysis.risk > risk) risk = analysis.risk;
        for (const hit of analysis.signatures) {
          if (findings.length >= config.maxFindings) break;
          findings.push({ ruleId: hit.ruleId, message: `Injection signature: ${hit.description}${hit.where === 'text' ? '' : ` (in ${hit.where})`}`, severity: severityOf(hit.score), score: hit.score, segmentId: segment.id, span: hit.span, evidence: `signatures ${SIGNATURES_VERSION}` });
        }
        const probability = analysis.classifier;
        if (probability !== null && probability >= config.reportAbove && findings.length < config.maxFindings) {
          findings.push({ ruleId: CLASSIFIER_RULE, message: `Injection classifier probability ${probability.toFixed(3)}`, severity: severityOf(probability), score: probability, segmentId: segment.id, span: [0, segment.text.length], evidence: `model ${model?.meta.task} ${model?.meta.dataSha256.slice(0, 12)}` });
        }
      }
      return { outcome: outcomeOf(findings), score: Math.min(1, Math.max(0, risk)), findings };
    },
  };
}

const SCORE_TEXT =
  'Score: the combined risk in [0,1], the larger of the calibrated classifier probability (which already weighs the signature hits) and the strongest signature score. ' +
  'Findings: one per signature rule matched (span of the match, or the whole decoded run / hidden payload it was found in) and one `prompt-injection/classifier` finding over the whole segment. ' +
  'Severity: high at 0.9 and above, medium at 0.5, else low; outcome: fail if any finding is high, flag if any is medium or low, else pass. The policy instance `threshold` decides what blocks.';

export function injectionDefinition(id: string, task: string, mode: InjectionMode, what: string): ScannerDefinition<InjectionConfig> {
  return defineScanner({
    id,
    description: `${what} Signatures and a hashed n-gram logistic-regression classifier run on the canonical text (NFKC, homoglyphs folded, hidden characters removed) and on decoded base64/hex/URL/rot13 runs and hidden payloads. ${SCORE_TEXT}`,
    phases: ['request', 'response', 'response-stream'],
    configSchema: InjectionConfig,
    create(config) {
      return createInjectionScanner(config, mode, task);
    },
  });
}
