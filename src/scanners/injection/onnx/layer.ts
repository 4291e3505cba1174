/**
 * The optional ONNX layer of the injection scanners: its config, and a wrapper that adds the
 * sequence classifier's probability to the linear classifier's as one weighted score.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ActiveRules } from '../../../rules/active-rules.ts';
import { outcomeOf } from '../../shared/result.ts';
import type { Finding, ScanResult, ScanSegment, Severity } from '../../types.ts';
import type { SegmentScan, SegmentScanner } from '../scanner.ts';
import { loadOnnxRuntime, OnnxClassifier } from './session.ts';
import type { CancelSignal } from '../../../runtime/cancel-signal.ts';

export const OnnxConfig = z
  .object({
    enabled: z.boolean().default(false).describe('Also run an ONNX sequence classifier (e.g. a Prompt Guard or DeBERTa export) and combine it with the linear classifier; needs the optional onnxruntime-node package.'),
    modelDir: z.string().default('').describe('Directory holding `model.onnx` and its Hugging Face `tokenizer.json` (WordPiece or Unigram models; see src/scanners/injection/onnx/README.md). Required when enabled.'),
    injectionLabels: z.array(z.number().int().min(0).max(1_000)).min(1).default([1]).describe('Output label indices counted as injection; their softmax probabilities are added (Prompt Guard 86M: [1, 2] for injection and jailbreak). A model with one output is read as a sigmoid.'),
    weight: z.number().min(0).max(1).default(0.5).describe('Weight of the ONNX probability in the combined classifier score: (1 - weight) * linear + weight * onnx (the ONNX probability alone when the linear classifier is off).'),
    maxTokens: z.number().int().min(8).max(8_192).default(512).describe('Tokens per model call, special tokens included (the model\'s maximum sequence length).'),
    maxChunks: z.number().int().min(1).max(64).default(4).describe('Longer texts are read in up to this many chunks of maxTokens (the highest chunk wins); the rest is not read by this layer, so tokenisation stays bounded.'),
    threads: z.number().int().min(1).max(64).default(1).describe('Threads onnxruntime may use for one inference.'),
    onUnavailable: z.enum(['fail', 'skip']).default('fail').describe('When onnxruntime-node cannot be loaded: fail (the policy does not load: fail closed) or skip the layer with a logged warning.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.enabled && config.modelDir === '') ctx.addIssue({ code: 'custom', path: ['modelDir'], message: 'required when onnx.enabled is true' });
  });
export type OnnxConfig = z.output<typeof OnnxConfig>;

/** Opens the classifier, or null when the runtime is missing and the config says skip. */
export function openOnnxClassifier(config: OnnxConfig, logger: Logger, scannerId: string, load: typeof loadOnnxRuntime = loadOnnxRuntime): OnnxClassifier | null {
  let ort: ReturnType<typeof loadOnnxRuntime>;
  try {
    ort = load();
  } catch (error) {
    if (config.onUnavailable === 'fail') throw error;
    logger.warn({ scanner: scannerId, reason: (error as Error).message }, 'ONNX layer skipped: onnxruntime-node is unavailable (onnx.onUnavailable: skip)');
    return null;
  }
  const classifier = new OnnxClassifier(ort, { modelDir: config.modelDir, injectionLabels: config.injectionLabels, maxTokens: config.maxTokens, maxChunks: config.maxChunks, threads: config.threads });
  // A session that fails to open fails every scan (onError decides); say so once in the log too.
  classifier.ready().catch((error: unknown) => logger.error({ scanner: scannerId, reason: error instanceof Error ? error.message : String(error) }, 'ONNX model failed to load; scans with this layer fail'));
  return classifier;
}

function severityOf(score: number): Severity {
  return score >= 0.9 ? 'high' : score >= 0.5 ? 'medium' : 'low';
}

/** The combined classifier score. */
export function combine(linear: number | null, onnx: number, weight: number): number {
  return linear === null ? onnx : (1 - weight) * linear + weight * onnx;
}

/**
 * Adds the ONNX layer on top of `base`: each segment's classifier score becomes the weighted
 * combination, reported as the `prompt-injection/classifier` finding; the segment risk is the
 * larger of it and the strongest signature. Inference errors propagate (the runner fails closed).
 */
export function withOnnx(base: SegmentScanner, classifier: OnnxClassifier, weight: number, rule: string): SegmentScanner & { scan(input: { segments: readonly ScanSegment[] }, context: { signal: CancelSignal }): Promise<ScanResult> } {
  const scanSegment = async (segment: ScanSegment, rules: ActiveRules): Promise<SegmentScan> => {
    const below = await base.scanSegment(segment, rules);
    const onnx = await classifier.probability(segment.canonical.text);
    const score = combine(below.classifier, onnx, weight);
    const findings: Finding[] = below.findings.filter((finding) => finding.ruleId !== rule);
    let risk = score;
    for (const finding of findings) if (finding.score > risk) risk = finding.score;
    if (score >= base.reportAbove(rules)) {
      const parts = below.classifier === null ? `onnx ${onnx.toFixed(3)}` : `linear ${below.classifier.toFixed(3)}, onnx ${onnx.toFixed(3)}, onnx weight ${weight}`;
      findings.push({ ruleId: rule, message: `Injection classifier probability ${score.toFixed(3)} (${parts})`, severity: severityOf(score), score, segmentId: segment.id, span: [0, segment.text.length], evidence: `onnx ${classifier.tokenizer.kind}` });
    }
    return { findings, risk: Math.min(1, Math.max(0, risk)), classifier: score };
  };
  return {
    maxFindings: base.maxFindings,
    rules: () => base.rules(),
    reportAbove: (rules) => base.reportAbove(rules),
    scanSegment,
    async scan(input, context) {
      const rules = base.rules();
      const findings: Finding[] = [];
      let risk = 0;
      for (const segment of input.segments) {
        context.signal.throwIfAborted();
        const one = await scanSegment(segment, rules);
        if (one.risk > risk) risk = one.risk;
        for (const finding of one.findings) if (findings.length < base.maxFindings) findings.push(finding);
      }
      return { outcome: outcomeOf(findings), score: risk, findings, rulesVersion: rules.version };
    },
  };
}
