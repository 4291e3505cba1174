/**
 * `--detector secrets`: the `data/secrets` rules through `detectSecrets` (default options). A row's
 * score is its highest finding score; it is flagged when any finding reaches the threshold.
 */
import { compileSecretDetector } from '../scanners/secrets/detect.ts';

/** Findings scored below this are hints (certificates, encrypted keys), not secrets. */
export const SECRETS_THRESHOLD = 0.5;

export function createSecretsDetector(): { defaultThreshold: number; score(text: string, threshold: number | null): Promise<{ score: number; flagged: boolean }> } {
  const detector = compileSecretDetector();
  return {
    defaultThreshold: SECRETS_THRESHOLD,
    async score(text, given) {
      let score = 0;
      for (const finding of detector.detect(text)) if (finding.score > score) score = finding.score;
      return { score, flagged: score >= (given ?? SECRETS_THRESHOLD) };
    },
  };
}
