/** leak/canary: finds the request's canary token (and spaced, reversed or encoded forms of it) in a response. */
import { z } from 'zod';
import { buildResult } from '../shared/result.ts';
import { unsettledTail } from '../shared/stream-tail.ts';
import { defineScanner, type Finding, type ScanSegment } from '../types.ts';

/** Key under which the pipeline puts the request's canary token in the scan context's state. */
export const canaryStateKey = 'canary-token';

export const CanaryConfig = z
  .object({
    severity: z.enum(['high', 'critical']).default('critical').describe('Severity of a leak finding.'),
  })
  .strict();

/** Lowercase letters and digits only: survives spacing, punctuation and case games. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function leakIn(segment: ScanSegment, token: string): [number, number] | null {
  const forms = [token, [...token].reverse().join('')];
  const views: { text: string; span: [number, number] | null }[] = [
    { text: segment.canonical.text, span: null },
    ...segment.canonical.decoded.map((run) => ({ text: run.text, span: [run.start, run.end] as [number, number] })),
    ...segment.canonical.hidden.filter((run) => run.decoded).map((run) => ({ text: run.decoded!, span: [run.start, run.end] as [number, number] })),
  ];
  for (const view of views) {
    const direct = view.text.toLowerCase().indexOf(token);
    if (direct >= 0) return view.span ?? segment.canonical.toOriginal(direct, direct + token.length);
    const squashed = squash(view.text);
    if (forms.some((form) => squashed.includes(form))) return view.span ?? [0, segment.text.length];
  }
  return null;
}

/**
 * Characters at the end of `text` that could be the start of the token (or of it reversed) as
 * the squashed view sees it: letters and digits, whatever separates them.
 */
function partialTail(text: string, token: string): number {
  const forms = [token, [...token].reverse().join('')];
  let squashed = '';
  let best = text.length;
  // Walk back over at most one token's worth of letters and digits (separators in between are free).
  for (let i = text.length - 1; i >= 0 && squashed.length < token.length; i--) {
    const char = text[i]!.toLowerCase();
    if (!/[a-z0-9]/.test(char)) continue;
    squashed = char + squashed;
    if (forms.some((form) => form.startsWith(squashed))) best = i;
  }
  return text.length - best;
}

export const canaryScanner = defineScanner({
  id: 'leak/canary',
  description:
    'Detects system-prompt leakage: finds the per-request canary token the gateway put in the system prompt (policy `canary.enabled`) in the response, also spaced out, reversed, re-cased, or inside base64/hex/URL/rot13 runs and hidden payloads. ' +
    'One finding per segment (rule id `canary/leak`, score 1). No token in the request (canary off) means no findings.',
  phases: ['response', 'response-stream'],
  configSchema: CanaryConfig,
  create(config) {
    return {
      scan(input, context) {
        const token = context.state.get(canaryStateKey);
        if (typeof token !== 'string' || token === '') return input.phase === 'response-stream' ? { ...buildResult([]), tail: 0 } : buildResult([]);
        const findings: Finding[] = [];
        for (const segment of input.segments) {
          const span = leakIn(segment, token.toLowerCase());
          if (span) findings.push({ ruleId: 'canary/leak', message: 'The response contains the canary token planted in the system prompt.', severity: config.severity, score: 1, segmentId: segment.id, span, evidence: 'canary token' });
        }
        const last = input.segments[input.segments.length - 1];
        if (input.phase !== 'response-stream' || !last) return buildResult(findings);
        return { ...buildResult(findings), tail: Math.max(partialTail(last.text, token.toLowerCase()), unsettledTail(last.text)) };
      },
    };
  },
});
