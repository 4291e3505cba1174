import { decide, type Verdict } from '../policy/decide.ts';
import type { Phase, ScanSegment } from '../scanners/types.ts';
import type { TextSegment } from '../wire/types.ts';
import type { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { toScanSegments } from './segments.ts';

export interface PhaseOutcome {
  verdict: Verdict;
  segments: ScanSegment[];
}

const empty: Verdict = { decision: 'allow', findings: [], edits: [], failures: [] };

/** Scans one phase's segments, decides, and records both on the event draft. */
export async function scanPhase(gateway: Gateway, phase: Phase, textSegments: readonly TextSegment[], draft: EventDraft, state: Map<string, unknown>): Promise<PhaseOutcome> {
  if (!gateway.runner.has(phase)) return { verdict: empty, segments: [] };
  const segments = toScanSegments(textSegments);
  const runs = await gateway.runner.run(phase, segments, { requestId: draft.requestId, state });
  const verdict = decide(runs, segments);
  draft.addPhase(phase, runs, verdict, segments);
  return { verdict, segments };
}
